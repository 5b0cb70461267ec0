package dev.expportrait.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.io.InputException;
import dev.expportrait.tensor.Tensors;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenTrainerTest {
    static final int SIZE = 16;
    static final Generator.Sizes TINY = new Generator.Sizes(new VideoVae.Sizes(8, 2, 2), 4, 4, 8, 24, 1, 2);
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    /** A moving bright disc on a per-identity background; its normal map a disc of its own. */
    static VideoClips clips(int identities, int frames) {
        List<VideoClips.Clip> out = new ArrayList<>();
        for (int id = 0; id < identities; id++) {
            byte[][] rgb = new byte[frames][], normals = new byte[frames][];
            for (int t = 0; t < frames; t++) {
                rgb[t] = new byte[SIZE * SIZE * 3];
                normals[t] = new byte[SIZE * SIZE * 3];
                double cx = 5 + t * 0.7, cy = 8;
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) < 9;
                        for (int c = 0; c < 3; c++) {
                            rgb[t][(y * SIZE + x) * 3 + c] = (byte) (in ? 220 - 30 * c : 40 + 25 * id + 10 * c);
                            normals[t][(y * SIZE + x) * 3 + c] = (byte) (in ? 128 + 20 * c : 0);
                        }
                    }
                }
            }
            out.add(new VideoClips.Clip("id" + id + "/clip00", "id" + id, SIZE, SIZE, rgb, normals));
        }
        return new VideoClips(out);
    }

    /** A tiny generator (seed 7) whose untrained VAE is frozen and whose denoiser had {@code steps} steps on {@code clips}. */
    private static Generator trainedDenoiser(VideoClips clips, int steps) {
        Generator g = new Generator(TINY, 7);
        new GenTrainer(GenTrainConfig.denoiserDefaults().withBatch(2, 5).withSteps(steps).withValidation(0.3).withEvery(steps, steps, 0), GenTrainer.Stage.DENOISER)
                .train(g, clips, null, Map.of(), QUIET, null);
        return g;
    }

    private static float[] weights(Map<String, Tensor> m) {
        List<Float> all = new ArrayList<>();
        for (Tensor t : m.values()) for (float v : Tensors.toFloats(t)) all.add(v);
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) out[i] = all.get(i);
        return out;
    }

    @Test
    void batchesAreDrawnFromTheSeedAndStepAlone_andTheSplitHoldsIdentitiesOutWhole() {
        VideoClips clips = clips(5, 9);
        assertThat(Tensors.toFloats(clips.batch(3, 5, 4, 7).video())).containsExactly(Tensors.toFloats(clips.batch(3, 5, 4, 7).video()));
        assertThat(Tensors.toFloats(clips.batch(3, 5, 4, 8).video())).isNotEqualTo(Tensors.toFloats(clips.batch(3, 5, 4, 7).video()));
        List<VideoClips> split = clips.split(0.4, 1);
        assertThat(split.get(1).clips()).hasSize(2);
        assertThat(split.get(0).clips()).extracting(VideoClips.Clip::identity).doesNotContainAnyElementsOf(
                split.get(1).clips().stream().map(VideoClips.Clip::identity).toList());
        // Pixel values map to [-1, 1]: the background byte 40 of identity 0's red channel is 40 / 127.5 - 1.
        VideoClips.Batch b = clips.windows(new int[] {0}, new int[] {0}, new int[] {0}, 1);
        assertThat(Tensors.toFloats(b.video())[0]).isCloseTo(40 / 127.5f - 1, within(1e-6f));
        assertThatThrownBy(() -> clips.batch(1, 13, 1, 0)).isInstanceOf(InputException.class).hasMessageContaining("9 frames, too few for windows of 13");
    }

    @Test
    void aFewStepsLowerTheLossOfBothStages() {
        VideoClips clips = clips(4, 9);
        Generator g = new Generator(TINY, 3);
        // Four identities are too few for the VAE to generalise to a held-out one in 40 steps: score the training clips.
        GenTrainConfig vae = GenTrainConfig.vaeDefaults().withBatch(2, 5).withSteps(40).withLearningRate(3e-3, 5).withValidation(0).withEvery(10, 100, 0);
        GenTrainer vaeTrainer = new GenTrainer(vae, GenTrainer.Stage.VAE);
        double untrained = vaeTrainer.validate(g, clips);
        vaeTrainer.train(g, clips, null, Map.of(), QUIET, null);
        assertThat(vaeTrainer.validate(g, clips)).isLessThan(0.6 * untrained);
        GenTrainConfig den = GenTrainConfig.denoiserDefaults().withBatch(2, 5).withSteps(60).withLearningRate(3e-3, 5).withValidation(0.25).withEvery(20, 100, 0);
        GenTrainer.Result d = new GenTrainer(den, GenTrainer.Stage.DENOISER).train(g, clips, null, Map.of(), QUIET, null);
        assertThat(d.train()[0]).isCloseTo(1.0, within(0.35)); // predicting zero noise: E[eps^2] = 1
        double late = 0;
        for (int i = 50; i < 60; i++) late += d.train()[i] / 10;
        assertThat(late).isLessThan(0.6 * d.train()[0]);
        assertThat(d.validation()[d.validation().length - 1]).isLessThan(0.6 * d.validation()[0]);
    }

    @Test
    void minSnrWeightsAreOneOnEveryNoisyTimestepAndGammaOverSnrOnTheNearlyCleanOnes() {
        NoiseSchedule s = NoiseSchedule.ddpm();
        int[] t = {0, 10, 60, 200, 600, 999};
        float[] w = GenTrainer.minSnrWeights(s, t, 5);
        for (int i = 0; i < t.length; i++) {
            double snr = s.alphaBar(t[i]) / (1 - s.alphaBar(t[i]));
            assertThat((double) w[i]).isCloseTo(snr > 5 ? 5 / snr : 1, within(1e-6));
        }
        assertThat((double) w[0]).isCloseTo(5 / ((1 - 1e-4) / 1e-4), within(1e-7)); // alphaBar(0) = 1 - beta_0
        assertThat(w[4]).isEqualTo(1f); // t = 600: SNR 0.03
        assertThat(w[0]).isLessThan(w[1]);
    }

    @Test
    void theMinSnrLossIsEq10WithEachWindowsErrorWeighted() {
        VideoClips clips = clips(2, 9);
        Generator g = new Generator(TINY, 4);
        GenTrainConfig cfg = GenTrainConfig.denoiserDefaults().withBatch(2, 5);
        VideoClips.Batch two = clips.batch(2, 5, 3, 0), one = clips.batch(1, 5, 3, 1);
        java.util.function.BiFunction<VideoClips.Batch, Double, Double> loss = (b, gamma) -> new GenTrainer(cfg.withMinSnr(gamma), GenTrainer.Stage.DENOISER)
                .loss(g, b, null, null, new java.util.SplittableRandom(11)).item_double();
        // A gamma above every timestep's SNR weights nothing: the plain Eq. 10 of the batch.
        assertThat(loss.apply(two, 1e12)).isCloseTo(loss.apply(two, 0.0), within(1e-6 * loss.apply(two, 0.0)));
        // One window: the weighted loss is the plain one times min(SNR, gamma) / SNR of the timestep the loss drew
        // (drawn after the noise, as GenTrainer.loss draws them).
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        Sampler.gaussian(r, 1, TINY.vae().latent(), VideoVae.latentFrames(5), SIZE >> TINY.vae().downs(), SIZE >> TINY.vae().downs());
        int t = r.nextInt(NoiseSchedule.ddpm().steps());
        double w = GenTrainer.minSnrWeights(NoiseSchedule.ddpm(), new int[] {t}, 1e-6)[0];
        assertThat(w).isLessThan(1);
        assertThat(loss.apply(one, 1e-6)).isCloseTo(w * loss.apply(one, 0.0), within(1e-5 * w * loss.apply(one, 0.0)));
    }

    @Test
    void theShardsLossesAddUpToTheBatchsLoss_plainAndMinSnr() {
        VideoClips clips = clips(2, 9);
        Generator g = new Generator(TINY, 6);
        VideoClips.Batch b = clips.batch(3, 5, 2, 0);
        for (double gamma : new double[] {0, 1e-6}) {
            GenTrainer trainer = new GenTrainer(GenTrainConfig.denoiserDefaults().withBatch(3, 5).withMinSnr(gamma), GenTrainer.Stage.DENOISER);
            double whole = trainer.loss(g, b, null, null, new java.util.SplittableRandom(13)).item_double();
            GenTrainer.Draws draws = trainer.draws(Tensors.shape(b.control()), new java.util.SplittableRandom(13), g);
            Tensor clean = g.latents(b.video()), reference = g.latents(b.reference());
            double shards = trainer.denoiserLoss(g, b, clean, reference, draws, 0, 1).item_double()
                    + trainer.denoiserLoss(g, b, clean, reference, draws, 1, 2).item_double();
            assertThat(shards).as("gamma %s", gamma).isCloseTo(whole, within(1e-6 * whole));
            // Each shard is its windows' share: window 0 alone is a third of the batch's weighted sum.
            double first = trainer.denoiserLoss(g, b, clean, reference, draws, 0, 1).item_double();
            assertThat(first).isGreaterThan(0).isLessThan(whole);
        }
    }

    @Test
    void theVaesShardLossesAddUpToItsBatchLoss_withTheSsimTerm() {
        VideoClips clips = clips(3, 9);
        Generator g = new Generator(TINY, 8);
        VideoClips.Batch b = clips.batch(3, 5, 5, 0);
        GenTrainer trainer = new GenTrainer(GenTrainConfig.vaeDefaults().withBatch(3, 5).withSsim(0.3), GenTrainer.Stage.VAE);
        double whole = trainer.loss(g, b, null, null, new java.util.SplittableRandom(21)).item_double();
        Tensor noise = GenTrainer.latentNoise(Tensors.shape(b.video()), new java.util.SplittableRandom(21), g);
        double shards = trainer.vaeLoss(g, b.video(), noise, 0, 2).item_double() + trainer.vaeLoss(g, b.video(), noise, 2, 1).item_double();
        assertThat(shards).isCloseTo(whole, within(1e-6 * whole));
        assertThat(trainer.vaeLoss(g, b.video(), noise, 2, 1).item_double()).isLessThan(0.6 * whole); // a third's share, not a whole loss
        // The gradients too: the batch's in one pass against the shards' on two threads.
        trainer.vaeLoss(g, b.video(), noise, 0, 3).backward();
        float[] expected = gradients(g.vaeWeights());
        new dev.expportrait.tensor.BatchShards(3, 2).backward(3, (from, size) -> trainer.vaeLoss(g, b.video(), noise, from, size));
        float[] got = gradients(g.vaeWeights());
        double scale = 0;
        for (float x : expected) scale = Math.max(scale, Math.abs(x));
        assertThat(scale).isGreaterThan(0);
        for (int i = 0; i < got.length; i++) assertThat((double) got[i]).as("gradient %d", i).isCloseTo(expected[i], within(1e-5 * scale));
    }

    /** The weights' gradients in order, then zeroed. */
    private static float[] gradients(Map<String, Tensor> weights) {
        List<Float> all = new ArrayList<>();
        for (Tensor t : weights.values()) {
            for (float v : Tensors.toFloats(t.grad())) all.add(v);
            try (var guard = new org.bytedeco.pytorch.NoGradGuard()) {
                t.grad().zero_();
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) out[i] = all.get(i);
        return out;
    }

    @Test
    void anInterruptedAndResumedRunEndsWithTheWeightsOfAnUninterruptedOne(@TempDir Path dir) {
        VideoClips clips = clips(3, 9);
        GenTrainConfig cfg = GenTrainConfig.denoiserDefaults().withBatch(2, 5).withSteps(6).withLearningRate(2e-3, 2).withValidation(0.3).withEvery(2, 2, 0);
        Generator base = new Generator(TINY, 5);
        new GenTrainer(GenTrainConfig.vaeDefaults().withBatch(2, 5).withSteps(3).withValidation(0.3).withEvery(3, 3, 0), GenTrainer.Stage.VAE)
                .train(base, clips, null, Map.of(), QUIET, null);
        Generator whole = new Generator(TINY, base.vae(), 5, 1);
        new GenTrainer(cfg, GenTrainer.Stage.DENOISER).train(whole, clips, null, Map.of(), QUIET, null);
        float[] expected = weights(whole.denoiserParameters());

        Path ckpt = dir.resolve("g.ckpt.safetensors");
        Generator first = new Generator(TINY, base.vae(), 5, 1);
        new GenTrainer(cfg, GenTrainer.Stage.DENOISER).train(first, clips, ckpt, Map.of(), QUIET, null, 3); // killed after step 3
        Generator resumed = new Generator(TINY, base.vae(), 5, 1); // a fresh process
        GenTrainer.Result r = new GenTrainer(cfg, GenTrainer.Stage.DENOISER).train(resumed, clips, ckpt, Map.of(), QUIET, null);
        assertThat(r.train()).hasSize(6);
        float[] got = weights(resumed.denoiserParameters());
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.length; i++) assertThat(got[i]).isCloseTo(expected[i], within(1e-6f));
        assertThat(resumed.latentScale()).isEqualTo(whole.latentScale());

        // Another run's checkpoint is refused, naming the file.
        assertThatThrownBy(() -> new GenTrainer(cfg.withSeed(9), GenTrainer.Stage.DENOISER).train(new Generator(TINY, base.vae(), 5, 1), clips, ckpt, Map.of(), QUIET, null))
                .isInstanceOf(InputException.class).hasMessageContaining(ckpt.toString()).hasMessageContaining("another run");
    }

    @Test
    void samplingWithAFixedSeedIsRepeatable_andTheGeneratorFileRoundTrips(@TempDir Path dir) {
        VideoClips clips = clips(3, 9);
        Generator g = trainedDenoiser(clips, 4);
        VideoClips.Batch b = clips.windows(new int[] {0}, new int[] {0}, new int[] {0}, 5);
        Sampler s = new Sampler(NoiseSchedule.ddpm(), 4, 2.0);
        float[] one = Tensors.toFloats(s.sample(g, b.control(), b.reference(), 11));
        assertThat(Tensors.toFloats(s.sample(g, b.control(), b.reference(), 11))).containsExactly(one);
        assertThat(Tensors.toFloats(s.sample(g, b.control(), b.reference(), 12))).isNotEqualTo(one);
        for (float v : one) assertThat(v).isBetween(-1f, 1f);

        Path f32 = dir.resolve("g.safetensors"), f16 = dir.resolve("g16.safetensors");
        GeneratorFile.write(f32, g, true, SIZE, SIZE, 5, false, Map.of("command", "test"));
        GeneratorFile.write(f16, g, true, SIZE, SIZE, 5, true, Map.of());
        GeneratorFile.Contents c = GeneratorFile.read(f32);
        assertThat(c.hasDenoiser()).isTrue();
        assertThat(c.frames()).isEqualTo(5);
        assertThat(c.generator().latentScale()).isEqualTo(g.latentScale());
        assertThat(weights(c.generator().allParameters())).containsExactly(weights(g.allParameters()));
        assertThat(Tensors.toFloats(s.sample(c.generator(), b.control(), b.reference(), 11))).containsExactly(one);
        float[] half = weights(GeneratorFile.read(f16).generator().allParameters()), full = weights(g.allParameters());
        for (int i = 0; i < full.length; i++) assertThat(half[i]).isCloseTo(full[i], within(1e-3f + 1e-3f * Math.abs(full[i])));
        assertThat(f16.toFile().length()).isLessThan(f32.toFile().length() * 6 / 10);
    }

    @Test
    void aDenoiserStartsFromAVersion1GeneratorWithTheChannelWiseReferenceNew_whichVersion1CannotBeReadAs(@TempDir Path dir) {
        VideoClips clips = clips(3, 9);
        Generator g = trainedDenoiser(clips, 3);
        // A version 1 file: the same tensors but the channel-wise reference's embedding.
        Map<String, dev.expportrait.io.NdArray> arrays = GeneratorFile.arrays(g.allParameters(), false);
        assertThat(arrays.remove("denoiser.embed.reference.weight")).isNotNull();
        Map<String, String> meta = GeneratorFile.metadata(g, true, SIZE, SIZE, 5, Map.of());
        meta.put("version", "1");
        Path v1 = dir.resolve("v1.safetensors");
        dev.expportrait.io.SafeTensors.write(v1, arrays, meta);
        assertThatThrownBy(() -> GeneratorFile.read(v1)).isInstanceOf(InputException.class).hasMessageContaining(v1.toString()).hasMessageContaining("version 1");

        Generator fresh = new Generator(TINY, g.vae(), 99, 1);
        GeneratorFile.Init start = GeneratorFile.initDenoiser(v1, fresh);
        assertThat(start.fresh()).containsExactly("denoiser.embed.reference.weight");
        assertThat(start.sameVae()).isTrue();
        assertThat(GeneratorFile.initDenoiser(v1, new Generator(TINY, 8)).sameVae()).isFalse(); // another VAE's denoiser
        Path half = dir.resolve("half.safetensors"); // the same VAE stored rounded to float16 (--half) is the same VAE
        GeneratorFile.write(half, g, true, SIZE, SIZE, 5, true, Map.of());
        assertThat(GeneratorFile.initDenoiser(half, new Generator(TINY, g.vae(), 98, 1)).sameVae()).isTrue();
        Map<String, Tensor> want = g.denoiserWeights(), got = fresh.denoiserWeights();
        for (String name : want.keySet()) {
            if (name.equals("denoiser.embed.reference.weight")) for (float v : Tensors.toFloats(got.get(name))) assertThat(v).isZero(); // as new
            else assertThat(Tensors.toFloats(got.get(name))).as(name).containsExactly(Tensors.toFloats(want.get(name)));
        }
        // Other sizes are refused, naming the file.
        Generator wider = new Generator(new Generator.Sizes(TINY.vae(), 4, 4, 8, 36, 1, 2), g.vae(), 1, 1);
        assertThatThrownBy(() -> GeneratorFile.initDenoiser(v1, wider)).isInstanceOf(InputException.class).hasMessageContaining(v1.toString()).hasMessageContaining("sizes");
        // A version 1 VAE file is still read: the VAE did not change.
        Map<String, String> vaeMeta = GeneratorFile.metadata(g, false, SIZE, SIZE, 5, Map.of());
        vaeMeta.put("version", "1");
        Path vae1 = dir.resolve("vae1.safetensors");
        dev.expportrait.io.SafeTensors.write(vae1, GeneratorFile.arrays(g.vaeWeights(), false), vaeMeta);
        assertThat(weights(GeneratorFile.read(vae1).generator().vaeWeights())).containsExactly(weights(g.vaeWeights()));
    }
}
