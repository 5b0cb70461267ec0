package dev.expportrait.gen;

import dev.expportrait.eval.ImageMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the reference's pixels wherever the control shows nothing changed (paste-back). A generated frame shows the
 * reference's scene and person in a new pose, so a pixel that no head covers, in the frame's control normal map or
 * in the reference's own, is the reference's background; and a pixel where both maps show a surface with the same
 * normal (every encoded channel within {@link #TOLERANCE} of 255, about 3.6 degrees) shows the same unmoved surface
 * (a still shoulder, a head that has not turned there) under the same light. There the reference's pixel is the
 * answer, which the generator reaches only through its VAE (blurred, and different from window to window). Each
 * frame's blend weight of the generated pixel is 1 on the changed pixels grown by a margin, falling linearly to 0
 * over a feather band (both 1/32 of the width: the VAE blurs edges by about that much).
 *
 * <p>Frames are 8-bit RGB, W x H x 3 row-major; a normal map's background is black (0, 0, 0), which no unit
 * normal encodes to.
 */
public final class ReferencePaste {
    /** Largest difference (0-255) of an encoded normal channel between the two maps at an unchanged pixel. */
    public static final int TOLERANCE = 8;

    private ReferencePaste() {}

    /** Pixels of a normal map that show a surface: [H * W], true where any channel is non-zero. */
    static boolean[] foreground(byte[] normalMap, int width, int height) {
        boolean[] fg = new boolean[width * height];
        for (int i = 0; i < fg.length; i++) {
            fg[i] = normalMap[i * 3] != 0 || normalMap[i * 3 + 1] != 0 || normalMap[i * 3 + 2] != 0;
        }
        return fg;
    }

    /**
     * Distance of each pixel to the nearest foreground pixel, in pixels (0 on it), by the two-pass 3-4 chamfer
     * transform (between 0.943 and 1.054 times the Euclidean distance: a + b / 3 for an offset (a, b), a >= b); {@link Float#POSITIVE_INFINITY} everywhere when there is no foreground.
     */
    static float[] distance(boolean[] fg, int width, int height) {
        final int inf = Integer.MAX_VALUE / 2;
        int[] d = new int[fg.length];
        for (int i = 0; i < d.length; i++) d[i] = fg[i] ? 0 : inf;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x, v = d[i];
                if (x > 0) v = Math.min(v, d[i - 1] + 3);
                if (y > 0) {
                    v = Math.min(v, d[i - width] + 3);
                    if (x > 0) v = Math.min(v, d[i - width - 1] + 4);
                    if (x < width - 1) v = Math.min(v, d[i - width + 1] + 4);
                }
                d[i] = v;
            }
        }
        for (int y = height - 1; y >= 0; y--) {
            for (int x = width - 1; x >= 0; x--) {
                int i = y * width + x, v = d[i];
                if (x < width - 1) v = Math.min(v, d[i + 1] + 3);
                if (y < height - 1) {
                    v = Math.min(v, d[i + width] + 3);
                    if (x < width - 1) v = Math.min(v, d[i + width + 1] + 4);
                    if (x > 0) v = Math.min(v, d[i + width - 1] + 4);
                }
                d[i] = v;
            }
        }
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = d[i] >= inf ? Float.POSITIVE_INFINITY : d[i] / 3f;
        return out;
    }

    /** The blend weight of the generated frame: 1 within {@code margin} px of the changed pixels, linear to 0 over {@code feather} px. */
    static float[] weight(boolean[] changed, int width, int height, float margin, float feather) {
        float[] d = distance(changed, width, height), w = new float[d.length];
        for (int i = 0; i < d.length; i++) w[i] = Math.max(0f, Math.min(1f, 1 - (d[i] - margin) / feather));
        return w;
    }

    /** w generated + (1 - w) reference, per pixel, rounded to 8 bits. */
    static byte[] blend(byte[] generated, byte[] reference, float[] weight) {
        byte[] out = new byte[generated.length];
        for (int i = 0; i < weight.length; i++) {
            float w = weight[i];
            for (int c = 0; c < 3; c++) {
                int k = i * 3 + c;
                out[k] = (byte) Math.round(w * (generated[k] & 0xFF) + (1 - w) * (reference[k] & 0xFF));
            }
        }
        return out;
    }

    /**
     * Where frame {@code f} changed from the reference: [H * W], true where either map shows a surface and they do
     * not both show one whose encoded normals agree within {@code tolerance} (a negative tolerance: wherever either
     * shows a surface, so only the background is kept).
     */
    static boolean[] changed(byte[] control, byte[] referenceControl, int width, int height, int tolerance) {
        boolean[] driven = foreground(control, width, height), before = foreground(referenceControl, width, height);
        boolean[] turned = tolerance >= 0 ? ImageMetrics.changed(control, referenceControl, tolerance) : null;
        boolean[] out = new boolean[driven.length];
        for (int i = 0; i < out.length; i++) {
            boolean same = turned != null && driven[i] && before[i] && !turned[i];
            out[i] = !same && (driven[i] || before[i]);
        }
        return out;
    }

    /**
     * @param frames generated frames
     * @param control their control normal maps (the driven head), as many
     * @param referenceControl the reference's own normal map (its head)
     * @param reference the reference image
     * @param tolerance {@link #TOLERANCE}, or negative to keep the background only
     * @return the frames with the reference's pixels where nothing changed
     */
    public static List<byte[]> apply(List<byte[]> frames, List<byte[]> control, byte[] referenceControl, byte[] reference, int width, int height,
                                     int tolerance) {
        if (frames.size() != control.size()) {
            throw new IllegalArgumentException(frames.size() + " frames, " + control.size() + " control maps");
        }
        float band = Math.max(1f, width / 32f);
        List<byte[]> out = new ArrayList<>(frames.size());
        for (int f = 0; f < frames.size(); f++) {
            float[] w = weight(changed(control.get(f), referenceControl, width, height, tolerance), width, height, band, band);
            out.add(blend(frames.get(f), reference, w));
        }
        return out;
    }
}
