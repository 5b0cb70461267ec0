package dev.expportrait.gen;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Differentiable SSIM (Wang et al. 2004) for the VAE's optional SSIM term (Sec. 3.3: KL + L1 + SSIM): the
 * definition {@link dev.expportrait.eval.ImageMetrics#ssim} measures with, an 11 x 11 Gaussian window of sigma
 * 1.5 over the windows wholly inside the image, C1 = 0.01^2, C2 = 0.03^2, each channel on its own, averaged.
 */
public final class Ssim {
    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5, C1 = 0.01 * 0.01, C2 = 0.03 * 0.03;

    private Ssim() {}

    /**
     * @param x images [N, C, H, W] in [0, 1], H and W at least 11
     * @param y the same shape
     * @return the mean SSIM, a scalar tensor (1 for identical images)
     */
    public static Tensor mean(Tensor x, Tensor y) {
        if (x.size(2) < WINDOW || x.size(3) < WINDOW) {
            throw new IllegalArgumentException("SSIM needs images of at least " + WINDOW + " px each way, got " + x.size(3) + "x" + x.size(2));
        }
        int c = (int) x.size(1);
        Tensor[] k = kernels(c);
        Tensor mx = blur(x, k), my = blur(y, k);
        Tensor vx = blur(x.mul(x), k).sub(mx.mul(mx)), vy = blur(y.mul(y), k).sub(my.mul(my)), cxy = blur(x.mul(y), k).sub(mx.mul(my));
        Tensor num = mx.mul(my).mul(scalar(2)).add(scalar(C1)).mul(cxy.mul(scalar(2)).add(scalar(C2)));
        Tensor den = mx.mul(mx).add(my.mul(my)).add(scalar(C1)).mul(vx.add(vy).add(scalar(C2)));
        return num.div(den).mean();
    }

    /** The mean SSIM of the frames of two videos [B, 3, T, H, W] in [-1, 1] (each frame an image). */
    public static Tensor ofVideos(Tensor a, Tensor b) {
        return mean(frames(a), frames(b));
    }

    private static Tensor frames(Tensor video) {
        long[] s = Tensors.shape(video);
        return video.add(scalar(1)).mul(scalar(0.5)).permute(0, 2, 1, 3, 4).reshape(s[0] * s[2], s[1], s[3], s[4]);
    }

    /** The Gaussian window as a column and a row filter, one per channel: [C, 1, 11, 1] and [C, 1, 1, 11]. */
    private static Tensor[] kernels(int channels) {
        float[] g = new float[WINDOW];
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            double d = i - WINDOW / 2;
            g[i] = (float) Math.exp(-d * d / (2 * SIGMA * SIGMA));
            sum += g[i];
        }
        float[] column = new float[channels * WINDOW];
        for (int ch = 0; ch < channels; ch++) for (int i = 0; i < WINDOW; i++) column[ch * WINDOW + i] = (float) (g[i] / sum);
        return new Tensor[] {Tensors.floats(column, channels, 1, WINDOW, 1), Tensors.floats(column, channels, 1, 1, WINDOW)};
    }

    private static Tensor blur(Tensor x, Tensor[] k) {
        long groups = x.size(1);
        Tensor rows = torch.conv2d(x, k[0], new TensorOptional(), new long[] {1, 1}, new long[] {0, 0}, new long[] {1, 1}, groups);
        return torch.conv2d(rows, k[1], new TensorOptional(), new long[] {1, 1}, new long[] {0, 0}, new long[] {1, 1}, groups);
    }
}
