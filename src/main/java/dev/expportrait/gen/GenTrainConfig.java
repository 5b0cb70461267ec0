package dev.expportrait.gen;

import dev.expportrait.io.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a generator stage is trained (the VAE by {@code gen train-vae}, the denoiser by {@code gen train}):
 * AdamW with linear warm-up and cosine decay to 5% of the peak rate, global gradient-norm clipping, EMA
 * weights (what is saved and sampled), windows of {@code frames} frames drawn by {@link VideoClips#batch}
 * from the seed and the step, validation on held-out identities.
 *
 * @param steps optimizer steps
 * @param batch windows per step
 * @param frames frames per window (1 + 4k)
 * @param learningRate peak rate
 * @param warmup steps of linear warm-up
 * @param weightDecay AdamW's decoupled decay (not applied to biases and norms)
 * @param emaDecay EMA decay per step
 * @param clip gradient-norm clip
 * @param validation fraction of the identities held out
 * @param logEvery steps between progress lines (with validation)
 * @param checkpointEvery steps between checkpoints
 * @param sampleEvery steps between sample strips (0: none)
 * @param seed weights, split, batches and noise
 * @param klWeight (VAE) weight of the KL term
 * @param referenceDrop (denoiser) probability of dropping the reference, for classifier-free guidance
 * @param ssimWeight (VAE) weight of the SSIM term, 1 - SSIM of the reconstruction ({@link Ssim}); 0: none
 * @param minSnr (denoiser) gamma of the Min-SNR weighting of Eq. 10 (Hang et al. 2023): each window's noise error
 *     weighted by min(SNR(t), gamma) / SNR(t), so the nearly clean timesteps, whose noise is the hardest to predict
 *     and matters least to a sample, do not dominate the gradient; 0: unweighted (Eq. 10 as written)
 */
public record GenTrainConfig(int steps, int batch, int frames, double learningRate, int warmup, double weightDecay, double emaDecay,
                             double clip, double validation, int logEvery, int checkpointEvery, int sampleEvery, long seed,
                             double klWeight, double referenceDrop, double ssimWeight, double minSnr) {
    public GenTrainConfig {
        VideoVae.latentFrames(frames);
        if (steps < 1 || batch < 1 || !(learningRate > 0) || warmup < 0 || !(weightDecay >= 0) || !(emaDecay >= 0 && emaDecay < 1)
                || !(clip > 0) || !(validation >= 0 && validation < 1) || logEvery < 1 || checkpointEvery < 1 || sampleEvery < 0
                || !(klWeight >= 0) || !(referenceDrop >= 0 && referenceDrop < 1) || !(ssimWeight >= 0) || !(minSnr >= 0)) {
            throw new IllegalArgumentException("generator training config out of range: " + this);
        }
    }

    /** The VAE's defaults at 64 px on 2 cores. */
    public static GenTrainConfig vaeDefaults() {
        return new GenTrainConfig(2000, 16, 1, 2e-3, 50, 0.0, 0.995, 1.0, 0.1, 50, 100, 0, 1, 1e-6, 0, 0, 0);
    }

    /** The denoiser's defaults at 64 px on 2 cores. */
    public static GenTrainConfig denoiserDefaults() {
        return new GenTrainConfig(2500, 4, 9, 1e-3, 100, 0.01, 0.998, 1.0, 0.1, 50, 250, 500, 1, 0, 0.1, 0, 0);
    }

    public GenTrainConfig withSteps(int n) {
        return new GenTrainConfig(n, batch, frames, learningRate, warmup, weightDecay, emaDecay, clip, validation, Math.min(logEvery, n),
                Math.min(checkpointEvery, n), sampleEvery, seed, klWeight, referenceDrop, ssimWeight, minSnr);
    }

    public GenTrainConfig withBatch(int b, int f) {
        return new GenTrainConfig(steps, b, f, learningRate, warmup, weightDecay, emaDecay, clip, validation, logEvery, checkpointEvery,
                sampleEvery, seed, klWeight, referenceDrop, ssimWeight, minSnr);
    }

    public GenTrainConfig withSeed(long s) {
        return new GenTrainConfig(steps, batch, frames, learningRate, warmup, weightDecay, emaDecay, clip, validation, logEvery, checkpointEvery,
                sampleEvery, s, klWeight, referenceDrop, ssimWeight, minSnr);
    }

    public GenTrainConfig withLearningRate(double rate, int warm) {
        return new GenTrainConfig(steps, batch, frames, rate, warm, weightDecay, emaDecay, clip, validation, logEvery, checkpointEvery,
                sampleEvery, seed, klWeight, referenceDrop, ssimWeight, minSnr);
    }

    public GenTrainConfig withEvery(int log, int checkpoint, int sample) {
        return new GenTrainConfig(steps, batch, frames, learningRate, warmup, weightDecay, emaDecay, clip, validation, log, checkpoint, sample,
                seed, klWeight, referenceDrop, ssimWeight, minSnr);
    }

    public GenTrainConfig withValidation(double fraction) {
        return new GenTrainConfig(steps, batch, frames, learningRate, warmup, weightDecay, emaDecay, clip, fraction, logEvery, checkpointEvery,
                sampleEvery, seed, klWeight, referenceDrop, ssimWeight, minSnr);
    }

    public GenTrainConfig withSsim(double weight) {
        return new GenTrainConfig(steps, batch, frames, learningRate, warmup, weightDecay, emaDecay, clip, validation, logEvery, checkpointEvery,
                sampleEvery, seed, klWeight, referenceDrop, weight, minSnr);
    }

    public GenTrainConfig withMinSnr(double gamma) {
        return new GenTrainConfig(steps, batch, frames, learningRate, warmup, weightDecay, emaDecay, clip, validation, logEvery, checkpointEvery,
                sampleEvery, seed, klWeight, referenceDrop, ssimWeight, gamma);
    }

    /** The rate of step {@code step} (0-based): linear warm-up, then cosine to 5% of the peak. */
    double rate(int step) {
        return dev.expportrait.tensor.LearningRate.warmupCosine(learningRate, warmup, steps, step);
    }

    /** What decides the run's result, as JSON (a checkpoint records it; resuming needs the same). */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", steps);
        m.put("batch", batch);
        m.put("frames", frames);
        m.put("learningRate", learningRate);
        m.put("warmup", warmup);
        m.put("weightDecay", weightDecay);
        m.put("emaDecay", emaDecay);
        m.put("clip", clip);
        m.put("validation", validation);
        m.put("seed", seed);
        m.put("klWeight", klWeight);
        m.put("referenceDrop", referenceDrop);
        if (ssimWeight > 0) m.put("ssimWeight", ssimWeight); // absent at 0, so checkpoints of runs without it still resume
        if (minSnr > 0) m.put("minSnr", minSnr); // likewise
        return Json.write(m);
    }
}
