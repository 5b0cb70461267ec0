package dev.expportrait.gen;

import dev.expportrait.tensor.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * The frozen VAE's latents of training windows, kept while the denoiser trains: a window (clip, first frame,
 * length) is encoded once, the first time it is drawn, and then read back (a 40-frame clip has 32 windows of
 * 9 frames, drawn again and again over thousands of steps; encoding was 15% of a step at 64 px). Each window is
 * encoded alone, so its latent does not depend on which batch it came in, and a run with the cache ends with
 * the weights of one without it. Past {@code capacityBytes} new windows are encoded every time.
 */
final class LatentCache {
    private final Generator generator;
    private final long capacityBytes;
    private final Map<Long, float[]> latents = new HashMap<>();
    private long bytes;
    private long hits, misses;

    LatentCache(Generator generator, long capacityBytes) {
        this.generator = generator;
        this.capacityBytes = capacityBytes;
    }

    /** The scaled latents z_0 [B, Z, 1 + k, h, w] of the batch's windows. */
    Tensor latents(VideoClips.Batch b) {
        long[] s = Tensors.shape(b.video());
        int frames = (int) s[2];
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < b.clips().length; i++) {
            long key = ((long) b.clips()[i] << 40) | ((long) b.starts()[i] << 16) | frames;
            float[] cached = latents.get(key);
            if (cached != null) {
                hits++;
                parts.add(Tensors.floats(cached, shape(s)));
                continue;
            }
            misses++;
            Tensor z = generator.latents(b.video().narrow(0, i, 1));
            if (bytes + 4L * z.numel() <= capacityBytes) {
                latents.put(key, Tensors.toFloats(z));
                bytes += 4L * z.numel();
            }
            parts.add(z);
        }
        return Tensors.cat(0, parts.toArray(new Tensor[0]));
    }

    private long[] shape(long[] video) {
        long f = 1L << generator.sizes().vae().downs();
        return new long[] {1, generator.sizes().vae().latent(), VideoVae.latentFrames((int) video[2]), video[3] / f, video[4] / f};
    }

    /** The share of windows read back rather than encoded. */
    double hitRate() {
        return hits + misses == 0 ? 0 : hits / (double) (hits + misses);
    }
}
