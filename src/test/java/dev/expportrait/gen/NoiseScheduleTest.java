package dev.expportrait.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class NoiseScheduleTest {
    @Test
    void alphaBarIsTheProductOfOneMinusTheLinearBetas() {
        NoiseSchedule s = NoiseSchedule.ddpm();
        assertThat(s.alphaBar(0)).isCloseTo(1 - 1e-4, within(1e-12));
        double prod = 1;
        for (int t = 0; t < 1000; t++) prod *= 1 - (1e-4 + (0.02 - 1e-4) * t / 999.0);
        assertThat(s.alphaBar(999)).isCloseTo(prod, within(1e-12));
        assertThat(s.alphaBar(999)).isLessThan(1e-4); // the last step is almost pure noise
        assertThat(s.alphaBar(-1)).isEqualTo(1);
    }

    @Test
    void theForwardProcessHasTheStatedMeanAndVariance() {
        NoiseSchedule s = NoiseSchedule.ddpm();
        int n = 200_000;
        Random r = new Random(1);
        float[] noise = new float[n];
        for (int i = 0; i < n; i++) noise[i] = (float) r.nextGaussian();
        for (int t : new int[] {0, 100, 500, 999}) {
            Tensor clean = Tensors.floats(new float[n], 1, n).add(Tensors.scalar(0.8));
            float[] z = Tensors.toFloats(s.addNoise(clean, Tensors.floats(noise, 1, n), new int[] {t}));
            double mean = 0, var = 0;
            for (float v : z) mean += v / n;
            for (float v : z) var += (v - mean) * (v - mean) / n;
            assertThat(mean).as("t %d", t).isCloseTo(0.8 * Math.sqrt(s.alphaBar(t)), within(0.01));
            assertThat(var).as("t %d", t).isCloseTo(1 - s.alphaBar(t), within(0.01 + 0.01 * (1 - s.alphaBar(t))));
        }
    }

    @Test
    void ddimWithTheTrueNoiseReturnsTheCleanSignalFromAnyGrid() {
        NoiseSchedule s = NoiseSchedule.ddpm();
        Random r = new Random(2);
        float[] x0 = new float[64], eps = new float[64];
        for (int i = 0; i < 64; i++) {
            x0[i] = (float) r.nextGaussian();
            eps[i] = (float) r.nextGaussian();
        }
        Tensor clean = Tensors.floats(x0, 1, 64), noise = Tensors.floats(eps, 1, 64);
        for (int n : new int[] {1, 4, 50}) {
            int[] grid = s.ddimTimesteps(n);
            assertThat(grid[0]).isEqualTo(999);
            Tensor z = s.addNoise(clean, noise, new int[] {grid[0]});
            for (int i = 0; i < n; i++) {
                int prev = i + 1 < n ? grid[i + 1] : -1;
                // The oracle: the noise that is actually in z at this step (DDIM keeps it the same along the path).
                z = s.ddimStep(z, noise, grid[i], prev);
            }
            float[] out = Tensors.toFloats(z);
            for (int i = 0; i < 64; i++) assertThat(out[i]).as("%d steps", n).isCloseTo(x0[i], within(2e-3f));
        }
    }
}
