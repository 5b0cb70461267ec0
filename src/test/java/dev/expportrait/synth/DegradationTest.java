package dev.expportrait.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DegradationTest {
    private final Degradation d = Degradation.DEFAULT;

    @Test
    void landmarkJitterHasTheStatedSpreadAndTheJawLineOneOffsetPerClip() {
        int frames = 400, l = 68, size = 512;
        float[] truth = new float[frames * l * 2];
        float[] noisy = d.landmarks(truth, frames, size, 7);
        double scale = size / 256.0;
        double sum2 = 0;
        int n = 0;
        double[] jawMean = new double[2];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < l; k++) {
                for (int c = 0; c < 2; c++) {
                    double v = noisy[(t * l + k) * 2 + c];
                    if (k > 16) {
                        sum2 += v * v;
                        n++;
                    } else {
                        jawMean[c] += v / (frames * 17.0);
                    }
                }
            }
        }
        assertThat(Math.sqrt(sum2 / n)).isCloseTo(1.5 * scale, within(0.1 * 1.5 * scale));
        assertThat(Math.hypot(jawMean[0], jawMean[1])).isCloseTo(2.0 * scale, within(0.15 * scale));
        assertThat(d.landmarks(truth, frames, size, 7)).isEqualTo(noisy);
        assertThat(Arrays.equals(d.landmarks(truth, frames, size, 8), noisy)).isFalse();
    }

    @Test
    void normalNoiseHasAFiveDegreeMedianInsideAndMoreAtTheSilhouette() {
        int w = 96, h = 96;
        boolean[] mask = new boolean[w * h];
        float[] truth = new float[w * h * 3];
        for (int y = 16; y < 80; y++) {
            for (int x = 16; x < 80; x++) {
                mask[y * w + x] = true;
                truth[(y * w + x) * 3 + 2] = 1;
            }
        }
        float[] noisy = d.normals(truth, mask, w, h, 3);
        int[] dist = Degradation.distanceToBackground(mask, w, h, 10);
        double[] inner = new double[w * h];
        double[] rim = new double[w * h];
        int ni = 0, nr = 0;
        for (int p = 0; p < w * h; p++) {
            if (!mask[p]) {
                assertThat(new float[] {noisy[3 * p], noisy[3 * p + 1], noisy[3 * p + 2]}).containsOnly(0f);
                continue;
            }
            double len = Math.sqrt(noisy[3 * p] * noisy[3 * p] + noisy[3 * p + 1] * noisy[3 * p + 1] + noisy[3 * p + 2] * noisy[3 * p + 2]);
            assertThat(len).isCloseTo(1, within(1e-5));
            double angle = Math.toDegrees(Math.acos(Math.min(1, noisy[3 * p + 2] / len)));
            if (dist[p] > d.silhouetteBandPx()) inner[ni++] = angle;
            else rim[nr++] = angle;
        }
        assertThat(median(inner, ni)).isCloseTo(5.0, within(0.6));
        assertThat(median(rim, nr)).isGreaterThan(15.0);
    }

    @Test
    void blurInsideTheMaskKeepsConstantsAndConservesAnImpulse() {
        int w = 40, h = 30;
        boolean[] mask = new boolean[w * h];
        Arrays.fill(mask, true);
        mask[5] = false;
        float[] constant = new float[w * h];
        Arrays.fill(constant, 0.7f);
        float[] blurred = Degradation.blurWithinMask(constant, mask, w, h, 1, 1.5);
        for (int p = 0; p < w * h; p++) {
            if (mask[p]) assertThat(blurred[p]).isCloseTo(0.7f, within(1e-5f)); // normalised: no darkening at edges
        }
        float[] impulse = new float[w * h];
        impulse[15 * w + 20] = 1;
        float[] spread = Degradation.blurWithinMask(impulse, mask, w, h, 1, 1.0);
        double total = 0;
        for (float v : spread) total += v;
        assertThat(total).isCloseTo(1.0, within(0.02));
        assertThat(spread[15 * w + 20]).isLessThan(0.2f).isGreaterThan(spread[15 * w + 22]);
    }

    @Test
    void depthGetsOneScalePerFrameAndTwoPercentNoise() {
        int n = 20000;
        float[] truth = new float[n];
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            truth[i] = 0.8f + 0.4f * i / n;
            mask[i] = i % 10 != 0;
        }
        double[] scale = new double[1];
        float[] noisy = d.depth(truth, mask, 11, scale);
        assertThat(scale[0]).isBetween(0.95, 1.05);
        double sum = 0, sum2 = 0;
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (!mask[i]) {
                assertThat(noisy[i]).isNaN();
                continue;
            }
            double ratio = noisy[i] / truth[i] / scale[0] - 1;
            sum += ratio;
            sum2 += ratio * ratio;
            m++;
        }
        assertThat(sum / m).isCloseTo(0, within(0.001));
        assertThat(Math.sqrt(sum2 / m)).isCloseTo(0.02, within(0.002));
    }

    private static double median(double[] x, int n) {
        double[] s = Arrays.copyOf(x, n);
        Arrays.sort(s);
        return s[n / 2];
    }
}
