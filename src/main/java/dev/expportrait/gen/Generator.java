package dev.expportrait.gen;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.tensor.Parameters;
import dev.expportrait.tensor.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * The video diffusion generator of Sec. 3.3: a causal {@link VideoVae} (frozen once trained), and the
 * denoiser: the pose encoder over the control video (rendered normal maps), the reference encoder over the
 * reference image, and the {@link Dit}. The DiT's reference features are the reference's VAE latent (so
 * appearance can be copied in the latent space the DiT writes) concatenated with the reference encoder's
 * features. Latents are multiplied by {@code latentScale} (about 1 / their standard deviation over the
 * training data) before diffusion, so the schedule sees unit variance.
 */
public final class Generator {
    /**
     * @param vae the VAE's sizes
     * @param poseChannels pose features per latent cell
     * @param referenceChannels reference-encoder features per latent cell (the VAE latent is added to them)
     * @param encoderWidth width of the two condition encoders
     * @param hidden DiT token width
     * @param depth DiT blocks
     * @param heads DiT attention heads
     */
    public record Sizes(VideoVae.Sizes vae, int poseChannels, int referenceChannels, int encoderWidth, int hidden, int depth, int heads) {
        public Sizes {
            if (vae.downs() != 2) throw new IllegalArgumentException("the condition encoders work at 4x: the VAE must have downs 2, not " + vae.downs());
            new Dit.Sizes(vae.latent(), poseChannels, vae.latent() + referenceChannels, hidden, depth, heads); // checks
            if (encoderWidth < 1) throw new IllegalArgumentException("encoder width " + encoderWidth);
        }

        /** The CPU default (64 px, 9 frames): a few million parameters. */
        public static Sizes defaults() {
            return new Sizes(new VideoVae.Sizes(16, 8, 2), 16, 16, 32, 192, 6, 4);
        }

        Dit.Sizes dit() {
            return new Dit.Sizes(vae.latent(), poseChannels, vae.latent() + referenceChannels, hidden, depth, heads);
        }
    }

    private final Sizes sizes;
    private final VideoVae vae;
    private final Parameters denoiser;
    private final ControlEncoders pose, reference;
    private final Dit dit;
    private double latentScale;

    public Generator(Sizes sizes, long seed) {
        this(sizes, new VideoVae(sizes.vae(), seed), seed, 1);
    }

    /** A generator around a trained VAE, with a fresh denoiser. */
    public Generator(Sizes sizes, VideoVae vae, long seed, double latentScale) {
        if (!vae.sizes().equals(sizes.vae())) throw new IllegalArgumentException("VAE " + vae.sizes() + " is not the sizes' " + sizes.vae());
        this.sizes = sizes;
        this.vae = vae;
        this.denoiser = new Parameters(seed + 1);
        this.pose = ControlEncoders.pose(denoiser, sizes.encoderWidth(), sizes.poseChannels());
        this.reference = ControlEncoders.reference(denoiser, sizes.encoderWidth(), sizes.referenceChannels());
        this.dit = new Dit(denoiser, sizes.dit());
        this.latentScale = latentScale;
    }

    public Sizes sizes() {
        return sizes;
    }

    public VideoVae vae() {
        return vae;
    }

    /** The denoiser's weights (encoders and DiT) by name, in a fixed order. */
    public Map<String, Tensor> denoiserParameters() {
        return denoiser.all();
    }

    public long denoiserParameterCount() {
        return denoiser.count();
    }

    public double latentScale() {
        return latentScale;
    }

    void latentScale(double s) {
        latentScale = s;
    }

    /** The VAE's weights under their file names ("vae." + name). */
    public Map<String, Tensor> vaeWeights() {
        return prefixed(vae.parameters(), "vae.");
    }

    /** The denoiser's weights under their file names ("denoiser." + name). */
    public Map<String, Tensor> denoiserWeights() {
        return prefixed(denoiser.all(), "denoiser.");
    }

    /** Every weight, VAE's under "vae.", the denoiser's under "denoiser.". */
    public Map<String, Tensor> allParameters() {
        Map<String, Tensor> all = vaeWeights();
        all.putAll(denoiserWeights());
        return all;
    }

    private static Map<String, Tensor> prefixed(Map<String, Tensor> m, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    /** The scaled latent z_0 of a video [B, 3, 1 + 4k, H, W] (the posterior mean; no gradient). */
    public Tensor latents(Tensor video) {
        try (NoGradGuard g = new NoGradGuard()) {
            return vae.encode(video).mean().mul(scalar(latentScale));
        }
    }

    /** The video of scaled latents, clamped to [-1, 1]. */
    public Tensor decode(Tensor latents) {
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor v = vae.decode(latents.div(scalar(latentScale)));
            return v.clamp(new org.bytedeco.pytorch.ScalarOptional(scalar(-1)), new org.bytedeco.pytorch.ScalarOptional(scalar(1)));
        }
    }

    /** The conditions of a batch: pose features [B, Cp, 1 + k, h, w] and reference features [B, Z + Cr, 1, h, w]. */
    public record Conditions(Tensor pose, Tensor reference) {}

    /** Encodes the control video [B, 3, 1 + 4k, H, W] and the reference image [B, 3, 1, H, W] (with gradient into the encoders). */
    public Conditions conditions(Tensor control, Tensor referenceImage) {
        return conditions(control, referenceImage, latents(referenceImage));
    }

    /** As {@link #conditions(Tensor, Tensor)}, with the reference image's scaled latent [B, Z, 1, h, w] already known. */
    public Conditions conditions(Tensor control, Tensor referenceImage, Tensor referenceLatent) {
        return new Conditions(pose.apply(control), Tensors.cat(1, referenceLatent, reference.apply(referenceImage)));
    }

    /** The predicted noise eps_theta(z_t, t, c) (Eq. 10); {@code withReference} false drops the reference (guidance). */
    public Tensor predictNoise(Tensor noisy, int[] timesteps, Conditions c, boolean withReference) {
        return dit.predict(noisy, timesteps, c.pose(), withReference ? c.reference() : null);
    }

    /**
     * As {@link #predictNoise}, the reference dropped for the batch elements where {@code dropped[i]} (training
     * for classifier-free guidance): their reference tokens are the learned null reference.
     */
    public Tensor predictNoise(Tensor noisy, int[] timesteps, Conditions c, boolean[] dropped) {
        return dit.predict(noisy, timesteps, c.pose(), c.reference(), dropped);
    }
}
