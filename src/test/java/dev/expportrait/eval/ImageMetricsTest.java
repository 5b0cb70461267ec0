package dev.expportrait.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageMetricsTest {
    private static byte[] constant(int w, int h, int value) {
        byte[] b = new byte[w * h * 3];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void psnrAndL1OfAUniformErrorAreAnalytic() {
        byte[] a = constant(16, 12, 100), b = constant(16, 12, 110);
        assertThat(ImageMetrics.l1(a, b)).isCloseTo(10 / 255.0, within(1e-12));
        assertThat(ImageMetrics.psnr(a, b)).isCloseTo(10 * Math.log10(255.0 * 255.0 / 100), within(1e-9)); // 28.13 dB
        assertThat(ImageMetrics.psnr(a, a)).isInfinite();
    }

    @Test
    void ssimOfConstantImagesIsTheLuminanceTerm_andOfAnImageWithItselfOne() {
        // Constant images: zero variances, so SSIM = (2ab + C1) / (a^2 + b^2 + C1) exactly.
        double a = 60 / 255.0, b = 200 / 255.0, c1 = 1e-4;
        assertThat(ImageMetrics.ssim(constant(20, 15, 60), constant(20, 15, 200), 20, 15)).isCloseTo((2 * a * b + c1) / (a * a + b * b + c1), within(1e-9));
        Random r = new Random(3);
        byte[] noise = new byte[24 * 24 * 3];
        r.nextBytes(noise);
        assertThat(ImageMetrics.ssim(noise, noise, 24, 24)).isCloseTo(1, within(1e-12));
        byte[] other = new byte[noise.length];
        r.nextBytes(other);
        // Independent noise images: structure uncorrelated, SSIM near 0.
        assertThat(ImageMetrics.ssim(noise, other, 24, 24)).isBetween(-0.1, 0.1);
    }

    @Test
    void ssimFallsWithNoiseAmplitude() {
        Random r = new Random(4);
        int w = 32, h = 32;
        byte[] img = new byte[w * h * 3];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int c = 0; c < 3; c++) img[(y * w + x) * 3 + c] = (byte) (x * 7 + y * 3 + c * 40);
        double previous = 1;
        for (int amp : new int[] {4, 16, 48}) {
            byte[] noisy = img.clone();
            for (int i = 0; i < noisy.length; i++) noisy[i] = (byte) Math.max(0, Math.min(255, (img[i] & 0xff) + (int) (amp * r.nextGaussian())));
            double s = ImageMetrics.ssim(img, noisy, w, h);
            assertThat(s).isLessThan(previous);
            previous = s;
        }
    }

    @Test
    void regionMseCountsOnlyTheRegionsPixels() {
        int w = 8, h = 4;
        byte[] a = constant(w, h, 50), b = constant(w, h, 50);
        boolean[] region = new boolean[w * h];
        for (int p = 0; p < w * h; p++) {
            region[p] = p % w < 2; // the two left columns
            if (region[p]) b[p * 3 + 1] = (byte) 80; // green off by 30 inside
            else b[p * 3] = (byte) 250; // red off by 200 outside: must not count
        }
        assertThat(ImageMetrics.mse(a, b, region)).isCloseTo((30 / 255.0) * (30 / 255.0) / 3, within(1e-12));
        java.util.Arrays.fill(region, true);
        assertThat(ImageMetrics.mse(a, b, region)).isCloseTo(ImageMetrics.mse(a, b), within(1e-12));
        boolean[] moved = ImageMetrics.changed(a, b, 16);
        for (int p = 0; p < w * h; p++) assertThat(moved[p]).isTrue(); // 30 inside, 200 outside
        assertThat(ImageMetrics.changed(a, b, 30)).containsOnly(false, true).matches(m -> !m[0] && m[2]); // 30 is not more than 30
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ImageMetrics.mse(a, b, new boolean[w * h])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }
}
