package dev.expportrait.gen;

import dev.expportrait.tensor.Tensors;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * The frozen VAE's posterior means (unscaled) of the training windows and reference frames the denoiser's
 * training draws, each encoded once per run instead of at every step that draws it: the VAE does not change
 * while the denoiser trains, and encoding the batch was about a sixth of a step (BENCHMARKS.md).
 *
 * <p>A window is encoded in a fixed group: the {@value #GROUP} windows of its clip that start at GROUP k ..
 * GROUP k + GROUP - 1, together, whichever of them is asked for first; a reference frame likewise with the
 * frames GROUP k .. of its clip, each alone in time. So a latent never depends on which other windows a step
 * drew or in what order (a batched convolution's values depend on the batch by float rounding): an
 * interrupted and resumed run reads the values an uninterrupted one does. Latents are kept in Java memory
 * up to {@code maxBytes}; past it, groups are encoded when asked for and not kept (the same values).
 *
 * <p>Window latents [B, Z, 1 + k, H / 2^downs, W / 2^downs], references [B, Z, 1, ...]. Not thread-safe.
 */
public final class LatentCache {
    /** Windows (or reference frames) encoded together. */
    static final int GROUP = 4;
    /** What a training run keeps by default: 1 GiB, about 40,000 latents of 9-frame windows at 64 px. */
    public static final long DEFAULT_BYTES = 1L << 30;

    private record Key(VideoClips.Clip clip, int first, boolean reference) {}

    private final VideoVae vae;
    private final int frames;
    private final long maxBytes;
    private final Map<Key, float[][]> groups = new HashMap<>();
    private long bytes;
    private long encoded, notKept;
    private long[] windowShape, referenceShape;

    /**
     * @param vae the frozen VAE
     * @param frames frames per window (1 + 4k)
     * @param maxBytes the most latent bytes kept
     */
    public LatentCache(VideoVae vae, int frames, long maxBytes) {
        VideoVae.latentFrames(frames);
        this.vae = vae;
        this.frames = frames;
        this.maxBytes = maxBytes;
    }

    /** Whether this cache holds latents of {@code vae}'s for windows of {@code frames} frames. */
    boolean serves(VideoVae vae, int frames) {
        return this.vae == vae && this.frames == frames;
    }

    /** The latents of the windows of {@code d} in {@code clips}: [B, Z, 1 + k, h, w], unscaled. */
    public Tensor windows(VideoClips clips, VideoClips.Draw d) {
        return gather(clips, d.clip(), d.start(), false);
    }

    /** The latents of the reference frames of {@code d} in {@code clips}: [B, Z, 1, h, w], unscaled. */
    public Tensor references(VideoClips clips, VideoClips.Draw d) {
        return gather(clips, d.clip(), d.reference(), true);
    }

    /** Encodes every window and reference frame of {@code clips} not held yet (as far as the cap allows): what a long run ends up holding. */
    public void fill(VideoClips clips) {
        for (int i = 0; i < clips.clips().size(); i++) {
            VideoClips.Clip c = clips.clips().get(i);
            for (int reference = 0; reference < 2; reference++) {
                int last = reference == 1 ? c.frames() - 1 : c.frames() - frames;
                for (int first = 0; first <= last; first += GROUP) {
                    int[] at = {first};
                    gather(clips, new int[] {i}, at, reference == 1);
                }
            }
        }
    }

    /** Groups encoded so far (each {@value #GROUP} windows or frames or fewer at a clip's end), counting re-encodings past the cap. */
    public long encodedGroups() {
        return encoded;
    }

    /** Groups encoded but not kept, the cap reached (each is encoded again when drawn again). */
    public long notKeptGroups() {
        return notKept;
    }

    /** Latent bytes kept. */
    public long bytes() {
        return bytes;
    }

    private Tensor gather(VideoClips clips, int[] clip, int[] at, boolean reference) {
        int b = clip.length;
        float[][] latents = new float[b][];
        for (int i = 0; i < b; i++) {
            VideoClips.Clip c = clips.clips().get(clip[i]);
            int first = at[i] / GROUP * GROUP;
            Key key = new Key(c, first, reference);
            float[][] group = groups.get(key);
            if (group == null) {
                group = encode(c, first, reference);
                long size = (long) group.length * group[0].length * Float.BYTES;
                if (bytes + size <= maxBytes) {
                    groups.put(key, group);
                    bytes += size;
                } else {
                    notKept++;
                }
            }
            latents[i] = group[at[i] - first];
        }
        long[] one = reference ? referenceShape : windowShape;
        long[] shape = one.clone();
        shape[0] = b;
        float[] all = new float[b * latents[0].length];
        for (int i = 0; i < b; i++) System.arraycopy(latents[i], 0, all, i * latents[i].length, latents[i].length);
        return Tensors.floats(all, shape);
    }

    /** One group's latents, each as a flat array. */
    private float[][] encode(VideoClips.Clip c, int first, boolean reference) {
        int last = reference ? c.frames() - 1 : c.frames() - frames; // the last reference frame or window start of the clip
        int n = Math.min(GROUP, last - first + 1);
        int[] zeros = new int[n], at = new int[n];
        for (int i = 0; i < n; i++) at[i] = first + i;
        VideoClips one = new VideoClips(java.util.List.of(c));
        encoded++;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            VideoClips.Batch batch = one.windows(zeros, at, at, reference ? 1 : frames);
            Tensor mean = vae.encode(reference ? batch.reference() : batch.video()).mean().contiguous();
            long[] shape = Tensors.shape(mean);
            shape[0] = 1;
            if (reference) referenceShape = shape;
            else windowShape = shape;
            float[] flat = Tensors.toFloats(mean);
            int per = flat.length / n;
            float[][] out = new float[n][];
            for (int i = 0; i < n; i++) out[i] = java.util.Arrays.copyOfRange(flat, i * per, (i + 1) * per);
            return out;
        }
    }
}
