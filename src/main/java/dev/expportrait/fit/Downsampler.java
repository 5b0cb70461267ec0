package dev.expportrait.fit;

/**
 * Box averaging of frame-major images [T, H, W, C] by an integer factor into [T, H/f, W/f, C] (rounded
 * down: the leftover edge pixels are dropped), and the matching move of pixel coordinates.
 */
final class Downsampler {
    private final int width;
    private final int height;
    private final int factor;

    Downsampler(int width, int height, int factor) {
        this.width = width;
        this.height = height;
        this.factor = factor;
    }

    /** The output width. */
    int width() {
        return width / factor;
    }

    /** The output height. */
    int height() {
        return height / factor;
    }

    /** A pixel coordinate: pixel centres map to pixel centres, so u' = (u + 0.5) / f - 0.5. */
    float coordinate(float u) {
        return (u + 0.5f) / factor - 0.5f;
    }

    /** The plain mean of each block, channel by channel. */
    float[] average(float[] images, int frames, int channels) {
        return reduce(images, frames, channels, false);
    }

    /** The mean of each block over its valid (&gt; 0) pixels only, 0 where a block has none. */
    float[] depth(float[] depth, int frames) {
        return reduce(depth, frames, 1, true);
    }

    /** The sum of each block's vectors [.., 3], normalized; 0 where the sum vanishes (no covered pixel). */
    float[] normals(float[] normals, int frames) {
        float[] out = reduce(normals, frames, 3, false);
        for (int i = 0; i < out.length; i += 3) {
            double n = Math.sqrt(out[i] * out[i] + out[i + 1] * out[i + 1] + out[i + 2] * out[i + 2]);
            for (int c = 0; c < 3; c++) {
                out[i + c] = n > 1e-12 ? (float) (out[i + c] / n) : 0f;
            }
        }
        return out;
    }

    /** One RGB8 frame [H, W, 3], each block's mean rounded to the nearest byte. */
    byte[] rgb(byte[] frame) {
        float[] f = new float[frame.length];
        for (int i = 0; i < f.length; i++) f[i] = frame[i] & 0xff;
        float[] avg = average(f, 1, 3);
        byte[] out = new byte[avg.length];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Math.round(avg[i]);
        return out;
    }

    private float[] reduce(float[] in, int frames, int channels, boolean validOnly) {
        int w = width(), h = height();
        float[] out = new float[frames * w * h * channels];
        double[] sum = new double[channels];
        int[] count = new int[channels];
        for (int t = 0; t < frames; t++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    java.util.Arrays.fill(sum, 0);
                    java.util.Arrays.fill(count, 0);
                    for (int dy = 0; dy < factor; dy++) {
                        int row = (t * height + y * factor + dy) * width + x * factor;
                        for (int dx = 0; dx < factor; dx++) {
                            for (int c = 0; c < channels; c++) {
                                float v = in[(row + dx) * channels + c];
                                if (!validOnly || v > 0) {
                                    sum[c] += v;
                                    count[c]++;
                                }
                            }
                        }
                    }
                    int o = ((t * h + y) * w + x) * channels;
                    for (int c = 0; c < channels; c++) {
                        out[o + c] = count[c] == 0 ? 0f : (float) (sum[c] / count[c]);
                    }
                }
            }
        }
        return out;
    }
}
