package dev.expportrait.eval;

/**
 * Image-quality metrics of generated frames against ground truth: L1, PSNR and SSIM (Wang et al. 2004, an
 * 11 x 11 Gaussian window of sigma 1.5, C1 = (0.01 L)^2, C2 = (0.03 L)^2, over the windows wholly inside the
 * image, each channel on its own, then averaged). Images are interleaved 8-bit RGB, H x W x 3; values are taken
 * in [0, 1] (L = 1).
 */
public final class ImageMetrics {
    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5, C1 = 0.01 * 0.01, C2 = 0.03 * 0.03;
    private static final double[] KERNEL = kernel();

    private ImageMetrics() {}

    /** Mean absolute difference in [0, 1] units. */
    public static double l1(byte[] a, byte[] b) {
        check(a, b);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        return s / a.length / 255.0;
    }

    /** Mean squared difference in [0, 1] units. */
    public static double mse(byte[] a, byte[] b) {
        check(a, b);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = ((a[i] & 0xff) - (b[i] & 0xff)) / 255.0;
            s += d * d;
        }
        return s / a.length;
    }

    /**
     * Mean squared difference in [0, 1] units over the pixels where {@code region} is true (W x H, row-major):
     * the error of one part of the frame, such as the head.
     */
    public static double mse(byte[] a, byte[] b, boolean[] region) {
        check(a, b);
        if (a.length != region.length * 3) throw new IllegalArgumentException(a.length + " bytes of RGB for a region of " + region.length + " pixels");
        double s = 0;
        long n = 0;
        for (int p = 0; p < region.length; p++) {
            if (!region[p]) continue;
            for (int ch = 0; ch < 3; ch++) {
                double d = ((a[p * 3 + ch] & 0xff) - (b[p * 3 + ch] & 0xff)) / 255.0;
                s += d * d;
            }
            n += 3;
        }
        if (n == 0) throw new IllegalArgumentException("the region is empty");
        return s / n;
    }

    /**
     * The pixels (W x H) where two RGB images differ by more than {@code threshold} (0-255) in some channel: in
     * a video, where a frame has moved away from the reference.
     */
    public static boolean[] changed(byte[] a, byte[] b, int threshold) {
        check(a, b);
        boolean[] out = new boolean[a.length / 3];
        for (int p = 0; p < out.length; p++) {
            for (int ch = 0; ch < 3 && !out[p]; ch++) out[p] = Math.abs((a[p * 3 + ch] & 0xff) - (b[p * 3 + ch] & 0xff)) > threshold;
        }
        return out;
    }

    /** 10 log10(1 / MSE) dB; infinite for identical images. */
    public static double psnr(byte[] a, byte[] b) {
        return psnrOfMse(mse(a, b));
    }

    public static double psnrOfMse(double mse) {
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / mse);
    }

    /** Mean SSIM of two W x H RGB images (at least 11 px each way). */
    public static double ssim(byte[] a, byte[] b, int width, int height) {
        check(a, b);
        if (a.length != width * height * 3) throw new IllegalArgumentException(a.length + " bytes for " + width + "x" + height + " RGB");
        if (width < WINDOW || height < WINDOW) throw new IllegalArgumentException("SSIM needs at least " + WINDOW + " px each way, got " + width + "x" + height);
        double total = 0;
        int n = 0;
        for (int ch = 0; ch < 3; ch++) {
            double[] x = channel(a, ch), y = channel(b, ch);
            double[] mx = blur(x, width, height), my = blur(y, width, height);
            double[] xx = blur(product(x, x), width, height), yy = blur(product(y, y), width, height), xy = blur(product(x, y), width, height);
            for (int i = 0; i < mx.length; i++) {
                double vx = xx[i] - mx[i] * mx[i], vy = yy[i] - my[i] * my[i], cxy = xy[i] - mx[i] * my[i];
                total += (2 * mx[i] * my[i] + C1) * (2 * cxy + C2) / ((mx[i] * mx[i] + my[i] * my[i] + C1) * (vx + vy + C2));
                n++;
            }
        }
        return total / n;
    }

    private static double[] channel(byte[] rgb, int ch) {
        double[] out = new double[rgb.length / 3];
        for (int p = 0; p < out.length; p++) out[p] = (rgb[p * 3 + ch] & 0xff) / 255.0;
        return out;
    }

    private static double[] product(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] * b[i];
        return out;
    }

    /** The Gaussian-weighted mean of every window wholly inside the image: (W - 10) x (H - 10) values. */
    private static double[] blur(double[] v, int width, int height) {
        int ow = width - WINDOW + 1, oh = height - WINDOW + 1;
        double[] rows = new double[ow * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int k = 0; k < WINDOW; k++) s += KERNEL[k] * v[y * width + x + k];
                rows[y * ow + x] = s;
            }
        }
        double[] out = new double[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int k = 0; k < WINDOW; k++) s += KERNEL[k] * rows[(y + k) * ow + x];
                out[y * ow + x] = s;
            }
        }
        return out;
    }

    private static double[] kernel() {
        double[] k = new double[WINDOW];
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            double d = i - WINDOW / 2;
            k[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
            sum += k[i];
        }
        for (int i = 0; i < WINDOW; i++) k[i] /= sum;
        return k;
    }

    private static void check(byte[] a, byte[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("images of " + a.length + " and " + b.length + " bytes");
    }
}
