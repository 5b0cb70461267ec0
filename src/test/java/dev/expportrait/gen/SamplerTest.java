package dev.expportrait.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class SamplerTest {
    @Test
    void ddimGridsStartWhereAskedAndStepDownByAtLeastOne() {
        NoiseSchedule s = NoiseSchedule.ddpm();
        for (int first : new int[] {999, 600, 7}) {
            for (int n : new int[] {1, 3, Math.min(25, first)}) {
                int[] grid = s.ddimTimesteps(n, first);
                assertThat(grid).hasSize(n);
                assertThat(grid[0]).isEqualTo(first);
                for (int i = 1; i < n; i++) assertThat(grid[i]).isLessThan(grid[i - 1]).isPositive();
            }
        }
        assertThat(s.ddimTimesteps(25)).containsExactly(s.ddimTimesteps(25, 999));
        assertThatThrownBy(() -> s.ddimTimesteps(8, 7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.ddimTimesteps(1000)).isInstanceOf(IllegalArgumentException.class); // 1000 steps would repeat timesteps
        assertThatThrownBy(() -> new Sampler(s, 10, 1, 1000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startingFromTheReferenceNoisesItsLatentByTheForwardProcess() {
        // An untrained denoiser predicts zero noise, so DDIM only rescales: from timestep t in one step the result
        // is x_t / sqrt(ab_t) = z_ref + sqrt((1 - ab_t) / ab_t) eps, eps the seed's noise, decoded.
        Generator g = new Generator(GenTrainerTest.TINY, 2);
        VideoClips clips = GenTrainerTest.clips(1, 9);
        VideoClips.Batch b = clips.windows(new int[] {0}, new int[] {0}, new int[] {3}, 5);
        NoiseSchedule schedule = NoiseSchedule.ddpm();
        Tensor z = g.latents(b.reference());
        long[] latent = {1, z.size(1), 2, z.size(3), z.size(4)};
        for (int t : new int[] {0, 300}) {
            float[] sampled = Tensors.toFloats(new Sampler(schedule, 1, 1.0, t).sample(g, b.control(), b.reference(), 4));
            Tensor eps = Sampler.gaussian(new java.util.SplittableRandom(4), latent);
            Tensor x0 = z.expand(latent).add(eps.mul(Tensors.scalar(Math.sqrt((1 - schedule.alphaBar(t)) / schedule.alphaBar(t)))));
            float[] expected = Tensors.toFloats(g.decode(x0));
            assertThat(sampled).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) assertThat(sampled[i]).as("from t = %d", t).isCloseTo(expected[i], within(1e-4f));
        }
        // From pure noise the reference's latent is not in the start.
        float[] fromNoise = Tensors.toFloats(new Sampler(schedule, 1, 1.0).sample(g, b.control(), b.reference(), 4));
        float[] fromReference = Tensors.toFloats(new Sampler(schedule, 1, 1.0, 0).sample(g, b.control(), b.reference(), 4));
        double far = 0;
        for (int i = 0; i < fromNoise.length; i++) far = Math.max(far, Math.abs(fromNoise[i] - fromReference[i]));
        assertThat(far).isGreaterThan(0.2);
    }

    @Test
    void guidedSamplingTakesTheUnconditionalPredictionPlusGuidanceTimesTheDifference() {
        // A denoiser with random weights (so the reference matters), one DDIM step from pure noise: the sampler runs
        // the two predictions as one sharded batch; here they are made one by one, the formula written out.
        Generator g = new Generator(GenTrainerTest.TINY, 3);
        java.util.SplittableRandom r = new java.util.SplittableRandom(8);
        try (org.bytedeco.pytorch.NoGradGuard guard = new org.bytedeco.pytorch.NoGradGuard()) {
            for (Tensor w : g.denoiserWeights().values()) {
                w.copy_(Sampler.gaussian(r, Tensors.shape(w)).mul(Tensors.scalar(0.1)));
            }
        }
        VideoClips.Batch b = GenTrainerTest.clips(2, 9).windows(new int[] {0, 1}, new int[] {0, 2}, new int[] {0, 4}, 5);
        NoiseSchedule schedule = NoiseSchedule.ddpm();
        double guidance = 2.5;
        float[] sampled = Tensors.toFloats(new Sampler(schedule, 1, guidance).sample(g, b.control(), b.reference(), 6));
        float[] expected;
        try (org.bytedeco.pytorch.NoGradGuard guard = new org.bytedeco.pytorch.NoGradGuard()) {
            Generator.Conditions c = g.conditions(b.control(), b.reference());
            Tensor z = g.latents(b.reference());
            Tensor x = Sampler.gaussian(new java.util.SplittableRandom(6), 2, z.size(1), 2, z.size(3), z.size(4));
            int[] t = {999, 999};
            Tensor cond = g.predictNoise(x, t, c, true), uncond = g.predictNoise(x, t, c, false);
            assertThat(Tensors.toFloats(cond.sub(uncond).abs().max())[0]).isGreaterThan(1e-3f); // the reference matters
            Tensor eps = uncond.add(cond.sub(uncond).mul(Tensors.scalar(guidance)));
            expected = Tensors.toFloats(g.decode(schedule.ddimStep(x, eps, 999, -1)));
        }
        assertThat(sampled).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) assertThat(sampled[i]).as("value %d", i).isCloseTo(expected[i], within(1e-4f));
    }
}
