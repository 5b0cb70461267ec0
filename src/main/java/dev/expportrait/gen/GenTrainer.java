package dev.expportrait.gen;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.io.InputException;
import dev.expportrait.tensor.BatchShards;
import dev.expportrait.tensor.Ema;
import dev.expportrait.tensor.ParameterAdam;
import dev.expportrait.tensor.Tensors;
import dev.expportrait.transfer.TransferTrainer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Trains one stage of the generator on {@link VideoClips}: the VAE (L1 reconstruction + KL) or, with the VAE
 * frozen, the denoiser on the noise-prediction loss of Eq. 10 (|eps - eps_theta(z_t, t, c)|^2 with t uniform over
 * the DDPM schedule, the reference dropped with probability {@code referenceDrop} for classifier-free guidance).
 * AdamW, warm-up and cosine, clipping and EMA as {@link GenTrainConfig} says; each step's forward and backward
 * passes run as shards of the batch on the cores at once ({@link BatchShards}). Every random draw (windows,
 * noise, timesteps, drops) comes from the seed and the step, and a checkpoint holds the weights, moments and
 * EMA, so a resumed run ends with the weights an uninterrupted one reaches.
 */
public final class GenTrainer {
    /** Which weights train. */
    public enum Stage { VAE, DENOISER }

    /** Validation windows per pass (fixed by the seed). */
    static final int VALIDATION_BATCHES = 2;

    /**
     * @param generator the generator, its trained weights set to their EMA averages
     * @param train loss per step
     * @param validation held-out loss at {@code validationSteps} (VAE: L1 of the reconstruction; denoiser: Eq. 10)
     */
    public record Result(Generator generator, double[] train, double[] validationSteps, double[] validation, double seconds, double samplesPerSecond) {}

    private final GenTrainConfig config;
    private final Stage stage;
    private final NoiseSchedule schedule = NoiseSchedule.ddpm();
    private final LatentCache cache;

    public GenTrainer(GenTrainConfig config, Stage stage) {
        this(config, stage, null);
    }

    private GenTrainer(GenTrainConfig config, Stage stage, LatentCache cache) {
        this.config = config;
        this.stage = stage;
        this.cache = cache;
    }

    /**
     * This trainer with the denoiser's frozen-VAE latents read from {@code cache} (for the same VAE and window length),
     * which may hold them already; without one each run starts its own ({@link LatentCache#DEFAULT_BYTES}).
     */
    public GenTrainer withLatentCache(LatentCache cache) {
        return new GenTrainer(config, stage, cache);
    }

    /**
     * Trains {@code g}'s weights of the stage on {@code clips} (split by identity).
     *
     * @param checkpoint where checkpoints go (an existing one of the same run is resumed), or null
     * @param onSample called with the step every {@code sampleEvery} steps, with the EMA weights in place (sample strips)
     */
    public Result train(Generator g, VideoClips clips, Path checkpoint, Map<String, String> provenance, PrintStream log, IntConsumer onSample) {
        return train(g, clips, checkpoint, provenance, log, onSample, config.steps());
    }

    /** As above, stopping after step {@code stopAt} (an interruption, for tests). */
    Result train(Generator g, VideoClips clips, Path checkpoint, Map<String, String> provenance, PrintStream log, IntConsumer onSample, int stopAt) {
        long start = System.nanoTime();
        clips.requireFrames(config.frames());
        List<VideoClips> split = clips.split(config.validation(), config.seed());
        VideoClips train = split.get(0), validation = split.get(1);
        Map<String, Tensor> trained = stage == Stage.VAE ? g.vaeWeights() : g.denoiserWeights();
        ParameterAdam adam = new ParameterAdam(trained);
        String json = config.toJson();
        double[] trainLoss = new double[config.steps()];
        List<Double> valSteps = new ArrayList<>(), valLoss = new ArrayList<>();
        int first = 0;
        Ema ema;
        if (checkpoint != null && Files.isRegularFile(checkpoint)) {
            ema = new Ema(trained, config.emaDecay());
            GenCheckpoint.History h = GenCheckpoint.restore(checkpoint, g, stage, json, adam, ema);
            first = h.step();
            System.arraycopy(h.train(), 0, trainLoss, 0, first);
            for (int i = 0; i < h.validation().length; i++) {
                valSteps.add(h.validationSteps()[i]);
                valLoss.add(h.validation()[i]);
            }
            log.printf(Locale.ROOT, "resuming from %s at step %d of %d%n", checkpoint, first, config.steps());
        } else {
            if (stage == Stage.DENOISER) g.latentScale(latentScale(g, train));
            ema = new Ema(trained, config.emaDecay());
        }
        LatentCache latents = stage == Stage.VAE ? null : cache != null ? cache : new LatentCache(g.vae(), config.frames(), LatentCache.DEFAULT_BYTES);
        if (cache != null && !cache.serves(g.vae(), config.frames())) {
            throw new IllegalArgumentException("the latent cache was made for another VAE or window length than this run's " + config.frames() + " frames");
        }
        long count = 0;
        for (Tensor t : trained.values()) count += t.numel();
        log.printf(Locale.ROOT, "training the %s (%,d parameters) on %d clips, validating on %s, %d steps of %d windows x %d frames at %dx%d%s%n",
                stage == Stage.VAE ? "causal VAE" : "denoiser (pose and reference encoders, DiT)", count, train.clips().size(),
                validation == null ? "nothing" : validation.clips().size() + " held-out clips", config.steps(), config.batch(), config.frames(),
                train.width(), train.height(), stage == Stage.DENOISER ? String.format(Locale.ROOT, ", latent scale %.4f", g.latentScale()) : "");
        int end = Math.min(stopAt, config.steps());
        long t0 = System.nanoTime();
        // The forward and backward passes run as shards of the batch, one per core.
        BatchShards shards = new BatchShards(config.batch(), torch.get_num_threads());
        for (int step = first; step < end; step++) {
            try (PointerScope scope = new PointerScope()) {
                trainLoss[step] = lossAndGradients(g, train, latents, shards, step);
                if (!Double.isFinite(trainLoss[step])) throw new IllegalStateException("training diverged at step " + step + ": loss " + trainLoss[step]);
                adam.step(config.rate(step), config.clip(), config.weightDecay(), name -> trained.get(name).dim() >= 2);
                ema.update();
            }
            int done = step + 1;
            if (done % config.logEvery() == 0 || done == config.steps()) {
                double v = validation == null ? Double.NaN : validate(g, validation);
                if (validation != null) {
                    valSteps.add((double) done);
                    valLoss.add(v);
                }
                double rate = (done - first) / ((System.nanoTime() - t0) / 1e9);
                log.printf(Locale.ROOT, "  step %d/%d  train %.5f  validation %s  %.2f samples/s, %s left%n", done, config.steps(),
                        mean(trainLoss, Math.max(0, done - config.logEvery()), done), Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.5f", v),
                        rate * config.batch(), TransferTrainer.duration((config.steps() - done) / rate));
            }
            if (onSample != null && config.sampleEvery() > 0 && (done % config.sampleEvery() == 0 || done == config.steps())) {
                final int at = done;
                ema.withAveraged(() -> onSample.accept(at));
            }
            if (checkpoint != null && (done % config.checkpointEvery() == 0 || done == end)) {
                GenCheckpoint.write(checkpoint, g, stage, trained, adam, ema, json,
                        new GenCheckpoint.History(done, trainLoss, unbox(valSteps), unbox(valLoss)), train.width(), train.height(), config.frames(), provenance);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (latents != null && end > first) {
            log.printf(Locale.ROOT, "the frozen VAE encoded %,d groups of up to %d windows or reference frames (%.1f MB of latents kept%s)%n",
                    latents.encodedGroups(), LatentCache.GROUP, latents.bytes() / 1e6, latents.notKeptGroups() == 0 ? ", each group encoded once"
                            : String.format(Locale.ROOT, "; the cap reached: %,d encodings not kept, each encoded again when drawn again", latents.notKeptGroups()));
        }
        ema.load();
        return new Result(g, Arrays.copyOf(trainLoss, end), unbox(valSteps), unbox(valLoss), (System.nanoTime() - start) / 1e9,
                (end - first) * config.batch() / Math.max(1e-9, seconds));
    }

    /**
     * Step {@code step}'s batch drawn, its loss, and its gradients accumulated into the trained weights, the passes run
     * as {@code shards}; the denoiser's latents read from {@code latents} (null for the VAE).
     */
    private double lossAndGradients(Generator g, VideoClips train, LatentCache latents, BatchShards shards, int step) {
        VideoClips.Draw d = train.draw(config.batch(), config.frames(), config.seed(), step);
        VideoClips.Batch b = train.windows(d.clip(), d.start(), d.reference(), config.frames(), latents == null);
        SplittableRandom r = new SplittableRandom(config.seed() * 31 + step * 0x9E3779B97F4A7C15L + 17);
        if (latents == null) { // the VAE
            Tensor noise = latentNoise(Tensors.shape(b.video()), r, g);
            return shards.backward(config.batch(), (from, size) -> vaeLoss(g, b.video(), noise, from, size));
        }
        Tensor clean = latents.windows(train, d).mul(scalar(g.latentScale()));
        Tensor referenceLatent = latents.references(train, d).mul(scalar(g.latentScale()));
        Draws draws = draws(Tensors.shape(b.control()), r, g);
        return shards.backward(config.batch(), (from, size) -> denoiserLoss(g, b, clean, referenceLatent, draws, from, size));
    }

    /** A denoiser step's random draws for the whole batch: the noise [B, Z, 1 + k, h, w], timesteps and reference drops. */
    record Draws(Tensor noise, int[] timesteps, boolean[] dropped) {}

    /** The draws of a batch whose video has shape {@code s} [B, 3, T, H, W], from {@code r} (noise first, then per window t and the drop). */
    Draws draws(long[] s, SplittableRandom r, Generator g) {
        Tensor noise = latentNoise(s, r, g);
        int[] t = new int[(int) s[0]];
        boolean[] dropped = new boolean[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = r.nextInt(schedule.steps());
            dropped[i] = r.nextDouble() < config.referenceDrop();
        }
        return new Draws(noise, t, dropped);
    }

    /**
     * The loss of one batch, its random draws from {@code r}; the denoiser's with the batch's scaled latents {@code clean}
     * [B, Z, 1 + k, h, w] and {@code referenceLatent} [B, Z, 1, h, w] when known (null: encoded here).
     */
    Tensor loss(Generator g, VideoClips.Batch b, Tensor clean, Tensor referenceLatent, SplittableRandom r) {
        long[] s = Tensors.shape(b.control()); // the video's shape; the video itself is absent when clean is given
        if (stage == Stage.VAE) return vaeLoss(g, b.video(), latentNoise(s, r, g), 0, (int) s[0]);
        Draws draws = draws(s, r, g);
        if (clean == null) clean = g.latents(b.video());
        if (referenceLatent == null) referenceLatent = g.latents(b.reference());
        return denoiserLoss(g, b, clean, referenceLatent, draws, 0, (int) s[0]);
    }

    /**
     * Standard normal noise of the latent shape [B, Z, 1 + k, h, w] of a batch whose video has shape {@code s}
     * [B, 3, T, H, W], from {@code r}: the VAE's posterior sample or the denoiser's eps.
     */
    static Tensor latentNoise(long[] s, SplittableRandom r, Generator g) {
        long f = 1L << g.sizes().vae().downs();
        return Sampler.gaussian(r, s[0], g.sizes().vae().latent(), VideoVae.latentFrames((int) s[2]), s[3] / f, s[4] / f);
    }

    /**
     * Windows {@code from} .. {@code from + count - 1}'s share of the VAE's batch loss: their loss (means over their
     * values, each window contributing as many) times count / B, so the shards' losses add up to the batch's.
     */
    Tensor vaeLoss(Generator g, Tensor video, Tensor noise, int from, int count) {
        Tensor loss = g.vae().loss(video.narrow(0, from, count), noise.narrow(0, from, count), config.klWeight(), config.ssimWeight())[0];
        return count == video.size(0) ? loss : loss.mul(scalar((double) count / video.size(0)));
    }

    /**
     * Batch elements {@code from} .. {@code from + count - 1}'s share of the batch's loss (Eq. 10): their squared
     * errors' sum over the batch's element count, so the shards' losses add up to the batch's mean.
     */
    Tensor denoiserLoss(Generator g, VideoClips.Batch b, Tensor clean, Tensor referenceLatent, Draws draws, int from, int count) {
        long batch = clean.size(0);
        int[] t = Arrays.copyOfRange(draws.timesteps(), from, from + count);
        boolean[] dropped = Arrays.copyOfRange(draws.dropped(), from, from + count);
        Tensor noise = draws.noise().narrow(0, from, count);
        Generator.Conditions c = g.conditions(b.control().narrow(0, from, count), b.reference().narrow(0, from, count), referenceLatent.narrow(0, from, count));
        Tensor predicted = g.predictNoise(schedule.addNoise(clean.narrow(0, from, count), noise, t), t, c, dropped);
        Tensor error = predicted.sub(noise).square();
        if (config.minSnr() == 0) return error.mean().mul(scalar((double) count / batch)); // Eq. 10
        // Eq. 10 with each window's error weighted by min(SNR, gamma) / SNR: the mean over a window, then the weighted mean over the batch
        Tensor perWindow = error.reshape(count, -1).mean(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
        float[] w = Arrays.copyOfRange(minSnrWeights(schedule, draws.timesteps(), config.minSnr()), from, from + count);
        return perWindow.mul(Tensors.floats(w, count)).sum().div(scalar(batch));
    }

    /**
     * The Min-SNR weights min(SNR(t), gamma) / SNR(t) of timesteps {@code t}, SNR(t) = alphaBar / (1 - alphaBar):
     * 1 wherever the signal-to-noise ratio is at most gamma (every noisy timestep), below 1 on the nearly clean ones.
     */
    static float[] minSnrWeights(NoiseSchedule schedule, int[] t, double gamma) {
        float[] w = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            double ab = schedule.alphaBar(t[i]), snr = ab / (1 - ab);
            w[i] = (float) (Math.min(snr, gamma) / snr);
        }
        return w;
    }

    /** The held-out loss on fixed windows and draws: VAE, L1 of the posterior mean's reconstruction; denoiser, Eq. 10 with the reference. */
    double validate(Generator g, VideoClips validation) {
        double sum = 0;
        try (NoGradGuard guard = new NoGradGuard()) {
            for (int k = 0; k < VALIDATION_BATCHES; k++) {
                try (PointerScope scope = new PointerScope()) {
                    VideoClips.Batch b = validation.batch(config.batch(), config.frames(), config.seed() + 1000, k);
                    if (stage == Stage.VAE) {
                        sum += g.vae().decode(g.vae().encode(b.video()).mean()).sub(b.video()).abs().mean().item_double();
                    } else {
                        SplittableRandom r = new SplittableRandom(config.seed() + 7 * k);
                        long[] s = Tensors.shape(b.video());
                        int lt = VideoVae.latentFrames((int) s[2]);
                        long f = 1L << g.sizes().vae().downs();
                        Tensor noise = Sampler.gaussian(r, s[0], g.sizes().vae().latent(), lt, s[3] / f, s[4] / f);
                        int[] t = new int[(int) s[0]];
                        for (int i = 0; i < t.length; i++) t[i] = (int) ((i + 0.5) * schedule.steps() / t.length);
                        Tensor p = g.predictNoise(schedule.addNoise(g.latents(b.video()), noise, t), t, g.conditions(b.control(), b.reference()), true);
                        sum += p.sub(noise).square().mean().item_double();
                    }
                }
            }
        }
        return sum / VALIDATION_BATCHES;
    }

    /** 1 / the standard deviation of the unscaled latents of a few training windows. */
    static double latentScale(Generator g, VideoClips train) {
        double sq = 0, sum = 0, n = 0;
        double old = g.latentScale();
        g.latentScale(1);
        for (int k = 0; k < 4; k++) {
            try (PointerScope scope = new PointerScope()) {
                VideoClips.Batch b = train.batch(4, 1, 99, k);
                Tensor z = g.latents(b.video());
                sum += z.sum().item_double();
                sq += z.square().sum().item_double();
                n += z.numel();
            }
        }
        g.latentScale(old);
        double mean = sum / n, var = sq / n - mean * mean;
        if (!(var > 0)) throw new InputException("the VAE's latents have no variance: is it trained?");
        return 1 / Math.sqrt(var);
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += v[i];
        return s / Math.max(1, to - from);
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
