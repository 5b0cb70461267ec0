package dev.expportrait.gen;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.tensor.Parameters;
import dev.expportrait.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * The causal video VAE of the latent diffusion framework (Sec. 3.3; Wan2.1's causal VAE at CPU scale). Every
 * convolution is causal in time ({@link CausalConv3d}) and every normalisation is per frame, so latent frame j
 * depends on video frames 0 .. 4j only: the first frame is encoded alone, then each 4 frames make one latent
 * frame (T = 1 + 4k frames give 1 + k latent frames). Space is compressed 2^{@code downs} times (2 or 3: 4x or 8x).
 * Videos are [B, 3, T, H, W] in [-1, 1]; latents [B, Z, 1 + k, H / 2^downs, W / 2^downs]. Encoder and decoder
 * work on their own.
 */
public final class VideoVae {
    /**
     * @param channels width of the first stage (doubled at each later stage, up to 4x)
     * @param latent Z, latent channels
     * @param downs spatial halvings (2 or 3); the first two also halve time
     */
    public record Sizes(int channels, int latent, int downs) {
        public Sizes {
            if (channels < 8 || channels % 8 != 0 || latent < 1 || downs < 2 || downs > 3) {
                throw new IllegalArgumentException("VAE sizes out of range: " + this + " (channels a multiple of 8, downs 2 or 3)");
            }
        }

        /** The CPU default: 4x spatial, 4 latent channels. */
        public static Sizes defaults() {
            return new Sizes(32, 4, 2);
        }

        int width(int stage) {
            return channels * Math.min(4, 1 << stage);
        }
    }

    /** The posterior: mean and log-variance [B, Z, 1 + k, h, w]. */
    public record Posterior(Tensor mean, Tensor logVariance) {
        /** A sample mean + exp(logvar / 2) noise. */
        public Tensor sample(Tensor noise) {
            return mean.add(logVariance.mul(scalar(0.5)).exp().mul(noise));
        }

        /** KL divergence to N(0, I), averaged over elements. */
        public Tensor kl() {
            return mean.square().add(logVariance.exp()).sub(scalar(1)).sub(logVariance).mean().mul(scalar(0.5));
        }
    }

    static final float INITIAL_LOG_VARIANCE = -6f;

    private final Sizes sizes;
    private final Parameters parameters;
    private final CausalConv3d encIn, encOut, decIn, decOut;
    private final List<ResBlock> encBlocks = new ArrayList<>(), decBlocks = new ArrayList<>();
    private final List<CausalConv3d> downs = new ArrayList<>(), ups = new ArrayList<>();
    private final Norm encNorm, decNorm;

    public VideoVae(Sizes sizes, long seed) {
        this.sizes = sizes;
        this.parameters = new Parameters(seed);
        Parameters p = parameters;
        int n = sizes.downs();
        encIn = new CausalConv3d(p, "encoder.in", 3, sizes.width(0), 3, 3, 1, 1);
        for (int s = 0; s < n; s++) {
            encBlocks.add(new ResBlock(p, "encoder.block" + s, sizes.width(s), sizes.width(s)));
            // Halve space, and time in the first two stages (kernel 3, stride 2, causal: 1 + 2m -> 1 + m frames).
            downs.add(new CausalConv3d(p, "encoder.down" + s, sizes.width(s), sizes.width(s + 1), s < 2 ? 3 : 1, 3, s < 2 ? 2 : 1, 2));
        }
        encBlocks.add(new ResBlock(p, "encoder.block" + n, sizes.width(n), sizes.width(n)));
        encNorm = new Norm(p, "encoder.norm", sizes.width(n));
        encOut = new CausalConv3d(p, "encoder.out", sizes.width(n), 2 * sizes.latent(), 1, 3, 1, 1);
        // The log-variance starts at -6 (noise std 0.05): at 0 the posterior noise (std 1) would drown the
        // untrained means, and the decoder would learn to blur long before the encoder learned to shrink it.
        float[] outBias = new float[2 * sizes.latent()];
        java.util.Arrays.fill(outBias, sizes.latent(), outBias.length, INITIAL_LOG_VARIANCE);
        p.load("encoder.out.bias", outBias);

        decIn = new CausalConv3d(p, "decoder.in", sizes.latent(), sizes.width(n), 3, 3, 1, 1);
        for (int s = n; s > 0; s--) {
            decBlocks.add(new ResBlock(p, "decoder.block" + s, sizes.width(s), sizes.width(s)));
            ups.add(new CausalConv3d(p, "decoder.up" + s, sizes.width(s), sizes.width(s - 1), 3, 3, 1, 1));
        }
        decBlocks.add(new ResBlock(p, "decoder.block0", sizes.width(0), sizes.width(0)));
        decNorm = new Norm(p, "decoder.norm", sizes.width(0));
        decOut = new CausalConv3d(p, "decoder.out", sizes.width(0), 3, 3, 3, 1, 1);
    }

    public Sizes sizes() {
        return sizes;
    }

    /** The weights by name, in a fixed order. */
    public Map<String, Tensor> parameters() {
        return parameters.all();
    }

    public long parameterCount() {
        return parameters.count();
    }

    /** Latent frames for a video of {@code frames} frames (1 + 4k). */
    public static int latentFrames(int frames) {
        if (frames < 1 || (frames - 1) % 4 != 0) {
            throw new IllegalArgumentException(frames + " frames: the causal VAE takes 1 + 4k frames (1, 5, 9, 13, ...)");
        }
        return 1 + (frames - 1) / 4;
    }

    /** The posterior of a video [B, 3, T, H, W] in [-1, 1]; T = 1 + 4k, H and W multiples of 2^downs. */
    public Posterior encode(Tensor video) {
        long[] s = Tensors.shape(video);
        latentFrames((int) s[2]);
        long f = 1L << sizes.downs();
        if (s.length != 5 || s[1] != 3 || s[3] % f != 0 || s[4] % f != 0) {
            throw new IllegalArgumentException("video " + java.util.Arrays.toString(s) + ": expected [B, 3, T, H, W] with H and W multiples of " + f);
        }
        Tensor h = encIn.apply(video);
        for (int i = 0; i < downs.size(); i++) h = downs.get(i).apply(encBlocks.get(i).apply(h));
        h = encBlocks.get(downs.size()).apply(h);
        Tensor out = encOut.apply(torch.silu(encNorm.apply(h)));
        int z = sizes.latent();
        return new Posterior(out.narrow(1, 0, z), torch.clamp(out.narrow(1, z, z), new org.bytedeco.pytorch.ScalarOptional(scalar(-20)),
                new org.bytedeco.pytorch.ScalarOptional(scalar(10))));
    }

    /** The video [B, 3, 1 + 4k, H, W] of latents [B, Z, 1 + k, h, w] (values about [-1, 1], not clamped). */
    public Tensor decode(Tensor latents) {
        Tensor h = decIn.apply(latents);
        int n = sizes.downs();
        for (int i = 0; i < n; i++) {
            h = decBlocks.get(i).apply(h);
            int stage = n - i; // upsampling out of this stage
            h = upsample(h, stage <= 2);
            h = ups.get(i).apply(h);
        }
        h = decBlocks.get(n).apply(h);
        return decOut.apply(torch.silu(decNorm.apply(h)));
    }

    /**
     * Nearest upsampling: space x2, and time from 1 + m to 1 + 2m frames when {@code time} (the first frame
     * stays one frame, each later one becomes two), mirroring the encoder's causal downsampling.
     */
    static Tensor upsample(Tensor x, boolean time) {
        long[] s = Tensors.shape(x); // B, C, T, H, W
        Tensor y = x.unsqueeze(4).unsqueeze(6).expand(s[0], s[1], s[2], s[3], 2, s[4], 2).reshape(s[0], s[1], s[2], 2 * s[3], 2 * s[4]);
        if (!time || s[2] == 1) return y;
        long m = s[2] - 1;
        Tensor later = y.narrow(2, 1, m).unsqueeze(3).expand(s[0], s[1], m, 2, 2 * s[3], 2 * s[4]).reshape(s[0], s[1], 2 * m, 2 * s[3], 2 * s[4]);
        return Tensors.cat(2, y.narrow(2, 0, 1), later);
    }

    /** L1 reconstruction of the video plus {@code klWeight} times the KL term; [loss, l1, kl]. */
    public Tensor[] loss(Tensor video, Tensor noise, double klWeight) {
        return loss(video, noise, klWeight, 0);
    }

    /**
     * As {@link #loss(Tensor, Tensor, double)}, plus {@code ssimWeight} times 1 - SSIM of the reconstruction
     * ({@link Ssim}, frame by frame; frames of at least 11 px); [loss, l1, kl, ssim] (ssim null at weight 0).
     */
    public Tensor[] loss(Tensor video, Tensor noise, double klWeight, double ssimWeight) {
        Posterior q = encode(video);
        Tensor recon = decode(q.sample(noise));
        Tensor l1 = recon.sub(video).abs().mean(), kl = q.kl();
        Tensor loss = l1.add(kl.mul(scalar(klWeight)));
        Tensor ssim = null;
        if (ssimWeight > 0) {
            ssim = Ssim.ofVideos(recon.clamp(new org.bytedeco.pytorch.ScalarOptional(scalar(-1)), new org.bytedeco.pytorch.ScalarOptional(scalar(1))), video);
            loss = loss.add(ssim.neg().add(scalar(1)).mul(scalar(ssimWeight)));
        }
        return new Tensor[] {loss, l1, kl, ssim};
    }

    /** Group normalisation of each frame on its own (a norm over time would let later frames reach earlier ones). */
    static final class Norm {
        private final Tensor scale, shift;
        private final int groups;

        Norm(Parameters p, String name, int channels) {
            scale = p.constant(name + ".weight", 1f, channels);
            shift = p.zeros(name + ".bias", channels);
            groups = Math.min(8, channels);
        }

        Tensor apply(Tensor x) {
            long[] s = Tensors.shape(x);
            Tensor frames = x.permute(0, 2, 1, 3, 4).reshape(s[0] * s[2], s[1], s[3], s[4]);
            Tensor n = torch.group_norm(frames, groups, new TensorOptional(scale), new TensorOptional(shift), 1e-6, false);
            return n.reshape(s[0], s[2], s[1], s[3], s[4]).permute(0, 2, 1, 3, 4);
        }
    }

    /** norm, SiLU, causal conv, twice, plus the input (through a 1x1x1 conv when the width changes). */
    static final class ResBlock {
        private final Norm norm1, norm2;
        private final CausalConv3d conv1, conv2, skip;

        ResBlock(Parameters p, String name, int in, int out) {
            norm1 = new Norm(p, name + ".norm1", in);
            conv1 = new CausalConv3d(p, name + ".conv1", in, out, 3, 3, 1, 1);
            norm2 = new Norm(p, name + ".norm2", out);
            conv2 = new CausalConv3d(p, name + ".conv2", out, out, 3, 3, 1, 1);
            skip = in == out ? null : new CausalConv3d(p, name + ".skip", in, out, 1, 1, 1, 1);
        }

        Tensor apply(Tensor x) {
            Tensor h = conv1.apply(torch.silu(norm1.apply(x)));
            h = conv2.apply(torch.silu(norm2.apply(h)));
            return (skip == null ? x : skip.apply(x)).add(h);
        }
    }
}
