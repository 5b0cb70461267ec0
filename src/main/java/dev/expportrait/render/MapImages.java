package dev.expportrait.render;

import dev.expportrait.io.InputException;
import dev.expportrait.io.Png;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rendered maps as images: normal maps encoded the common way (RGB = (n + 1) / 2), depth as 16-bit PNG
 * with its metric range in the PNG text, masks, landmark overlays and side-by-side strips.
 * Images here are 8-bit RGB [H, W, 3] byte arrays, row-major.
 */
public final class MapImages {
    private MapImages() {}

    public static final String DEPTH_FORMAT = "expportrait.depth-png";
    public static final String DEPTH_VERSION = "1";

    /** An 8-bit RGB image [H, W, 3]. */
    public record Rgb(int width, int height, byte[] data) {
        public Rgb {
            if (data.length != width * height * 3) {
                throw new IllegalArgumentException("expected " + width + "x" + height + "x3 bytes, got " + data.length);
            }
        }

        public void writePng(Path path, Map<String, String> text) {
            Png.writeRgb(path, width, height, data, text);
        }
    }

    /**
     * Normals [H, W, 3] (unit, any frame) to RGB = round(255 (n + 1) / 2); pixels outside {@code mask}
     * [H, W] (null: all inside) are black.
     */
    public static Rgb normals(float[] normals, boolean[] mask, int width, int height) {
        byte[] out = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++) {
            if (mask != null && !mask[i]) {
                continue;
            }
            for (int c = 0; c < 3; c++) {
                out[i * 3 + c] = (byte) Math.round(255 * Math.min(1f, Math.max(0f, (normals[i * 3 + c] + 1) / 2)));
            }
        }
        return new Rgb(width, height, out);
    }

    /** Colours [H, W, 3] in [0, 1] to 8-bit RGB (clamped). */
    public static Rgb colors(float[] rgb, int width, int height) {
        byte[] out = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            out[i] = (byte) Math.round(255 * Math.min(1f, Math.max(0f, rgb[i])));
        }
        return new Rgb(width, height, out);
    }

    /** Depth [H, W] as a grey preview: near is bright, far dark, empty black (min-max over covered pixels). */
    public static Rgb depthPreview(float[] depth, boolean[] covered, int width, int height) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < depth.length; i++) {
            if (covered[i]) {
                lo = Math.min(lo, depth[i]);
                hi = Math.max(hi, depth[i]);
            }
        }
        byte[] out = new byte[width * height * 3];
        float span = Math.max(hi - lo, 1e-6f);
        for (int i = 0; i < depth.length; i++) {
            if (covered[i]) {
                byte g = (byte) Math.round(255 * (1 - 0.85f * (depth[i] - lo) / span));
                out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = g;
            }
        }
        return new Rgb(width, height, out);
    }

    /**
     * Writes depth [H, W] (metres; non-finite or &lt;= 0 means empty) as 16-bit grey: 0 is empty, 1..65535
     * span [min, max] of the valid depths linearly. The range and the rule are in the PNG text.
     */
    public static void writeDepth(Path path, float[] depth, int width, int height, Map<String, String> extra) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float d : depth) {
            if (valid(d)) {
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
        }
        if (lo > hi) {
            lo = hi = 0;
        }
        double span = Math.max(hi - lo, 1e-9);
        short[] q = new short[depth.length];
        for (int i = 0; i < depth.length; i++) {
            q[i] = valid(depth[i]) ? (short) (1 + Math.round((depth[i] - lo) / span * 65534)) : 0;
        }
        Map<String, String> text = new LinkedHashMap<>();
        text.put("format", DEPTH_FORMAT);
        text.put("version", DEPTH_VERSION);
        text.put("depth_min_m", Float.toString(lo));
        text.put("depth_max_m", Float.toString(hi));
        text.put("encoding", "0 = empty; v in 1..65535 -> min + (v - 1) / 65534 * (max - min) metres");
        text.putAll(extra);
        Png.writeGray16(path, width, height, q, text);
    }

    /** Reads a depth PNG written by {@link #writeDepth}: [H, W] metres, NaN where empty. */
    public static float[] readDepth(Path path) {
        return decodeDepth(path, Png.read(path));
    }

    /** Decodes {@code img}, read from {@code path} (named in errors), as {@link #readDepth} does: [H, W] metres, NaN where empty. */
    public static float[] decodeDepth(Path path, Png.Image img) {
        if (!DEPTH_FORMAT.equals(img.text().get("format")) || !DEPTH_VERSION.equals(img.text().get("version"))) {
            throw new InputException(path + ": not an expportrait depth PNG (format " + img.text().get("format") + ", version " + img.text().get("version") + ")");
        }
        if (img.bitDepth() != 16 || img.channels() != 1) {
            throw new InputException(path + ": depth PNG must be 16-bit grey, got " + img.bitDepth() + "-bit with " + img.channels() + " channels");
        }
        double lo = metres(path, img, "depth_min_m"), hi = metres(path, img, "depth_max_m");
        float[] out = new float[img.width() * img.height()];
        for (int i = 0; i < out.length; i++) {
            int v = img.samples()[i];
            out[i] = v == 0 ? Float.NaN : (float) (lo + (v - 1) / 65534.0 * (hi - lo));
        }
        return out;
    }

    private static double metres(Path path, Png.Image img, String key) {
        String text = img.text().get(key);
        try {
            double v = Double.parseDouble(text);
            if (Double.isFinite(v)) return v;
        } catch (NullPointerException | NumberFormatException e) {
            // reported below
        }
        throw new InputException(path + ": depth PNG text " + key + " is " + text + ", expected a finite number of metres");
    }

    /** A copy of {@code base} with a small cross (radius 2 px) in {@code color} at each point [N, 2] (pixels). */
    public static Rgb overlayPoints(Rgb base, float[] points, int[] color) {
        byte[] out = base.data().clone();
        for (int p = 0; p < points.length / 2; p++) {
            int x = Math.round(points[p * 2]), y = Math.round(points[p * 2 + 1]);
            for (int d = -2; d <= 2; d++) {
                paint(out, base.width(), base.height(), x + d, y, color);
                paint(out, base.width(), base.height(), x, y + d, color);
            }
        }
        return new Rgb(base.width(), base.height(), out);
    }

    /** {@code top} over {@code base} with opacity {@code alpha} where {@code mask} [H, W] is set. */
    public static Rgb blend(Rgb base, Rgb top, boolean[] mask, float alpha) {
        byte[] out = base.data().clone();
        for (int i = 0; i < mask.length; i++) {
            if (!mask[i]) continue;
            for (int c = 0; c < 3; c++) {
                int k = i * 3 + c;
                out[k] = (byte) Math.round((1 - alpha) * (base.data()[k] & 0xff) + alpha * (top.data()[k] & 0xff));
            }
        }
        return new Rgb(base.width(), base.height(), out);
    }

    /** Images of equal height side by side, left to right. */
    public static Rgb strip(List<Rgb> images) {
        int h = images.get(0).height();
        int w = 0;
        for (Rgb im : images) {
            if (im.height() != h) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "strip images must share a height: %d vs %d", h, im.height()));
            }
            w += im.width();
        }
        byte[] out = new byte[w * h * 3];
        int x0 = 0;
        for (Rgb im : images) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(im.data(), y * im.width() * 3, out, (y * w + x0) * 3, im.width() * 3);
            }
            x0 += im.width();
        }
        return new Rgb(w, h, out);
    }

    private static boolean valid(float d) {
        return Float.isFinite(d) && d > 0;
    }

    private static void paint(byte[] img, int w, int h, int x, int y, int[] color) {
        if (x < 0 || y < 0 || x >= w || y >= h) return;
        int k = (y * w + x) * 3;
        img[k] = (byte) color[0];
        img[k + 1] = (byte) color[1];
        img[k + 2] = (byte) color[2];
    }
}
