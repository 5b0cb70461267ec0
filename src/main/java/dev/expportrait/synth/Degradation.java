package dev.expportrait.synth;

import java.util.Random;

/**
 * "Estimated" observations: ground-truth landmarks, normal maps and depth maps degraded the way the
 * networks a real fit relies on err (landmark detectors, DAViD-like normal and depth estimators), so that
 * fitting is measured on what it would really see and the ground truth is used only to score.
 *
 * <p>Amounts (the defaults match issue 4; all scale with image size where they are in pixels):
 * landmark jitter 1.5 px at 256 px per frame plus a per-clip systematic offset of the jaw line
 * (iBUG points 0-16); normal maps blurred by about 1 px with about 5 degrees of angular noise and larger
 * errors within a few pixels of the silhouette; depth with about 2% relative noise and a per-frame scale
 * ambiguity.
 *
 * @param landmarkJitterPx per-frame landmark noise (standard deviation per axis) at 256 px
 * @param jawOffsetPx size of the clip's systematic jaw-line offset at 256 px
 * @param normalBlurPx Gaussian blur of normal maps (standard deviation), pixels
 * @param normalNoiseDeg angular noise of normals (median angle), degrees
 * @param silhouetteErrorDeg extra tilt of normals next to the silhouette, degrees
 * @param silhouetteBandPx width of that band, pixels
 * @param depthRelativeNoise relative depth noise (standard deviation)
 * @param depthScaleRange per-frame depth scale drawn from [1 - r, 1 + r]
 */
public record Degradation(double landmarkJitterPx, double jawOffsetPx, double normalBlurPx, double normalNoiseDeg,
                          double silhouetteErrorDeg, int silhouetteBandPx, double depthRelativeNoise, double depthScaleRange) {

    public static final Degradation DEFAULT = new Degradation(1.5, 2.0, 1.0, 5.0, 20.0, 2, 0.02, 0.05);

    /** Landmarks [T, L, 2] (pixels) with per-frame jitter and one jaw-line offset for the whole clip. */
    public float[] landmarks(float[] truth, int frames, int size, long seed) {
        Random r = new Random(seed);
        double scale = size / 256.0;
        int l = truth.length / frames / 2;
        double angle = r.nextDouble() * 2 * Math.PI;
        double jx = Math.cos(angle) * jawOffsetPx * scale, jy = Math.sin(angle) * jawOffsetPx * scale;
        float[] out = truth.clone();
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < l; k++) {
                int i = (t * l + k) * 2;
                boolean jaw = k <= 16 && l == 68;
                out[i] += (float) (r.nextGaussian() * landmarkJitterPx * scale + (jaw ? jx : 0));
                out[i + 1] += (float) (r.nextGaussian() * landmarkJitterPx * scale + (jaw ? jy : 0));
            }
        }
        return out;
    }

    /**
     * A normal map [H, W, 3] (unit vectors where {@code mask} is set) blurred within the mask, perturbed by
     * angular noise, and tilted more near the silhouette; zero outside the mask.
     */
    public float[] normals(float[] truth, boolean[] mask, int width, int height, long seed) {
        Random r = new Random(seed);
        float[] out = blurWithinMask(truth, mask, width, height, 3, normalBlurPx);
        int[] distance = distanceToBackground(mask, width, height, silhouetteBandPx + 1);
        // For a 2-D Gaussian tangent perturbation of std s, the median angle is s * sqrt(2 ln 2).
        double sigma = Math.tan(Math.toRadians(normalNoiseDeg)) / Math.sqrt(2 * Math.log(2));
        double rim = Math.tan(Math.toRadians(silhouetteErrorDeg)) / Math.sqrt(2 * Math.log(2));
        for (int p = 0; p < width * height; p++) {
            if (!mask[p]) {
                out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = 0;
                continue;
            }
            double s = distance[p] <= silhouetteBandPx ? Math.hypot(sigma, rim) : sigma;
            double x = out[3 * p] + r.nextGaussian() * s, y = out[3 * p + 1] + r.nextGaussian() * s, z = out[3 * p + 2] + r.nextGaussian() * s;
            double n = Math.sqrt(x * x + y * y + z * z);
            out[3 * p] = (float) (x / n);
            out[3 * p + 1] = (float) (y / n);
            out[3 * p + 2] = (float) (z / n);
        }
        return out;
    }

    /**
     * A depth map [H, W] (metres where {@code mask} is set) times a per-frame scale in
     * [1 - depthScaleRange, 1 + depthScaleRange] and (1 + relative noise); NaN outside the mask.
     *
     * @return the degraded map; the scale used is {@code scaleOut[0]}
     */
    public float[] depth(float[] truth, boolean[] mask, long seed, double[] scaleOut) {
        Random r = new Random(seed);
        double scale = 1 + (2 * r.nextDouble() - 1) * depthScaleRange;
        scaleOut[0] = scale;
        float[] out = new float[truth.length];
        for (int p = 0; p < truth.length; p++) {
            out[p] = mask[p] ? (float) (truth[p] * scale * (1 + r.nextGaussian() * depthRelativeNoise)) : Float.NaN;
        }
        return out;
    }

    /** Separable Gaussian blur of a [H, W, C] image using only pixels inside the mask (normalised convolution). */
    static float[] blurWithinMask(float[] image, boolean[] mask, int w, int h, int c, double sigma) {
        if (sigma <= 0) {
            return image.clone();
        }
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
        }
        double[] value = new double[w * h * c];
        double[] weight = new double[w * h];
        for (int p = 0; p < w * h; p++) {
            if (mask[p]) {
                weight[p] = 1;
                for (int k = 0; k < c; k++) value[p * c + k] = image[p * c + k];
            }
        }
        // Only the mask's bounding box grown by the radius can receive weight, and the second pass is only
        // read inside the mask: skip the rest (for a portrait, about half of the frame).
        int x0 = w, x1 = -1, y0 = h, y1 = -1;
        for (int p = 0; p < w * h; p++) {
            if (mask[p]) {
                x0 = Math.min(x0, p % w);
                x1 = Math.max(x1, p % w);
                y0 = Math.min(y0, p / w);
                y1 = Math.max(y1, p / w);
            }
        }
        x0 = Math.max(0, x0 - radius);
        x1 = Math.min(w - 1, x1 + radius);
        y0 = Math.max(0, y0 - radius);
        y1 = Math.min(h - 1, y1 + radius);
        double[][] pass = {value, weight};
        for (int axis = 0; axis < 2; axis++) {
            double[] v2 = new double[value.length];
            double[] w2 = new double[weight.length];
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    int p = y * w + x;
                    if (axis == 1 && !mask[p]) continue;
                    for (int i = -radius; i <= radius; i++) {
                        int xx = axis == 0 ? x + i : x, yy = axis == 0 ? y : y + i;
                        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                        int q = yy * w + xx;
                        double kw = kernel[i + radius];
                        w2[p] += kw * pass[1][q];
                        for (int k = 0; k < c; k++) v2[p * c + k] += kw * pass[0][q * c + k];
                    }
                }
            }
            pass = new double[][] {v2, w2};
        }
        float[] out = new float[image.length];
        for (int p = 0; p < w * h; p++) {
            if (mask[p] && pass[1][p] > 0) {
                for (int k = 0; k < c; k++) out[p * c + k] = (float) (pass[0][p * c + k] / pass[1][p]);
            }
        }
        return out;
    }

    /** City-block distance [H, W] from each pixel to the nearest pixel outside the mask, capped at {@code cap}. */
    static int[] distanceToBackground(boolean[] mask, int w, int h, int cap) {
        int[] d = new int[w * h];
        for (int p = 0; p < w * h; p++) d[p] = mask[p] ? cap : 0;
        // Two raster passes of the chamfer transform; the image border counts as background.
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if (d[p] == 0) continue;
                int best = Math.min(d[p], Math.min(x == 0 ? 1 : d[p - 1] + 1, y == 0 ? 1 : d[p - w] + 1));
                d[p] = best;
            }
        }
        for (int y = h - 1; y >= 0; y--) {
            for (int x = w - 1; x >= 0; x--) {
                int p = y * w + x;
                if (d[p] == 0) continue;
                d[p] = Math.min(d[p], Math.min(x == w - 1 ? 1 : d[p + 1] + 1, y == h - 1 ? 1 : d[p + w] + 1));
            }
        }
        return d;
    }
}
