package dev.expportrait.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.eval.ImageMetrics;
import dev.expportrait.tensor.Tensors;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class SsimTest {
    private static final int W = 19, H = 16;

    /** A smooth random RGB image as bytes, interleaved H x W x 3. */
    private static byte[] image(Random r, double noise) {
        byte[] b = new byte[W * H * 3];
        double fx = r.nextDouble() * 0.5, fy = r.nextDouble() * 0.5;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = 128 + 80 * Math.sin(fx * x + fy * y + c) + noise * r.nextGaussian();
                    b[(y * W + x) * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return b;
    }

    /** The same image as a [1, 3, H, W] tensor in [0, 1]. */
    private static Tensor tensor(byte[] b) {
        float[] t = new float[b.length];
        for (int p = 0; p < W * H; p++) for (int c = 0; c < 3; c++) t[c * W * H + p] = (b[p * 3 + c] & 0xff) / 255f;
        return Tensors.floats(t, 1, 3, H, W);
    }

    @Test
    void itIsTheSsimTheBenchmarksMeasure_andOneForIdenticalImages() {
        Random r = new Random(3);
        for (int k = 0; k < 4; k++) {
            byte[] a = image(r, 0), b = image(r, 25);
            double expected = ImageMetrics.ssim(a, b, W, H);
            assertThat(Ssim.mean(tensor(a), tensor(b)).item_double()).isCloseTo(expected, within(1e-5));
            assertThat(expected).isLessThan(0.95); // the images differ: the comparison is not between two ones
            assertThat(Ssim.mean(tensor(a), tensor(a)).item_double()).isCloseTo(1.0, within(1e-5));
        }
        Tensor small = Tensors.floats(new float[3 * 8 * 8], 1, 3, 8, 8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Ssim.mean(small, small)).hasMessageContaining("at least 11 px");
    }

    @Test
    void itsGradientMatchesFiniteDifferences() {
        Random r = new Random(4);
        Tensor a = tensor(image(r, 0)), b = tensor(image(r, 30)).set_requires_grad(true);
        Ssim.mean(a, b).backward();
        float[] grad = Tensors.toFloats(b.grad());
        float[] x = Tensors.toFloats(b);
        double h = 1e-3;
        for (int i : new int[] {0, 77, 300, 3 * W * H - 1 - 40}) {
            float[] plus = x.clone(), minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd;
            try (var g = new org.bytedeco.pytorch.NoGradGuard()) {
                fd = (Ssim.mean(a, Tensors.floats(plus, 1, 3, H, W)).item_double() - Ssim.mean(a, Tensors.floats(minus, 1, 3, H, W)).item_double()) / (2 * h);
            }
            assertThat((double) grad[i]).as("element %d", i).isCloseTo(fd, within(2e-3 * Math.max(1, Math.abs(fd)) + 1e-4));
        }
        assertThat(Math.abs(grad[77]) + Math.abs(grad[300])).isGreaterThan(1e-6f);
    }

    @Test
    void theVaeLossAddsTheWeightTimesOneMinusSsim() {
        VideoVae vae = new VideoVae(new VideoVae.Sizes(8, 2, 2), 5);
        float[] v = new float[2 * 3 * 5 * 16 * 16];
        Random r = new Random(6);
        for (int i = 0; i < v.length; i++) v[i] = (float) (0.5 * Math.sin(i * 0.01) + 0.1 * r.nextGaussian());
        Tensor video = Tensors.floats(v, 2, 3, 5, 16, 16);
        Tensor noise = Tensors.floats(new float[2 * 2 * 2 * 4 * 4], 2, 2, 2, 4, 4);
        try (var g = new org.bytedeco.pytorch.NoGradGuard()) {
            Tensor[] plain = vae.loss(video, noise, 1e-3);
            Tensor[] with = vae.loss(video, noise, 1e-3, 0.3);
            double ssim = with[3].item_double();
            assertThat(ssim).isBetween(-1.0, 0.99);
            assertThat(with[0].item_double()).isCloseTo(plain[0].item_double() + 0.3 * (1 - ssim), within(1e-6));
            // A video's SSIM is the mean over its frames of each frame's, in [0, 1] units: frame by frame by hand.
            Tensor other = video.mul(Tensors.scalar(0.8)).add(Tensors.scalar(0.05));
            double sum = 0;
            for (int i = 0; i < 2; i++) {
                for (int t = 0; t < 5; t++) {
                    Tensor fa = video.select(0, i).select(1, t).unsqueeze(0).add(Tensors.scalar(1)).mul(Tensors.scalar(0.5));
                    Tensor fb = other.select(0, i).select(1, t).unsqueeze(0).add(Tensors.scalar(1)).mul(Tensors.scalar(0.5));
                    sum += Ssim.mean(fa, fb).item_double() / 10;
                }
            }
            assertThat(Ssim.ofVideos(video, other).item_double()).isCloseTo(sum, within(1e-6)).isLessThan(0.999);
        }
    }
}
