package dev.expportrait.eval;

import java.util.Arrays;

/** Geometry errors against ground truth, on plain arrays (vertex positions, normals, fields). */
public final class GeometryMetrics {
    private GeometryMetrics() {}

    /**
     * Mean Euclidean distance between corresponding vertices over the selected ones, all frames.
     *
     * @param a [T, V, 3]
     * @param b [T, V, 3]
     * @param ids selected vertex ids
     */
    public static double meanVertexError(float[] a, float[] b, int numVertices, int[] ids) {
        check(a, b);
        int frames = a.length / (numVertices * 3);
        double sum = 0;
        for (int t = 0; t < frames; t++) {
            for (int v : ids) {
                int o = (t * numVertices + v) * 3;
                double dx = a[o] - b[o], dy = a[o + 1] - b[o + 1], dz = a[o + 2] - b[o + 2];
                sum += Math.sqrt(dx * dx + dy * dy + dz * dz);
            }
        }
        return sum / ((double) frames * ids.length);
    }

    /**
     * {@code a} moved, frame by frame, by the translation that makes the mean of its selected vertices equal
     * that of {@code b} (the least-squares translation alignment).
     *
     * @param a [T, V, 3]
     * @param b [T, V, 3]
     * @return [T, V, 3] a translated copy of {@code a}
     */
    public static float[] alignMeans(float[] a, float[] b, int numVertices, int[] ids) {
        check(a, b);
        int frames = a.length / (numVertices * 3);
        float[] out = a.clone();
        for (int t = 0; t < frames; t++) {
            double[] d = new double[3];
            for (int v : ids) {
                for (int c = 0; c < 3; c++) d[c] += (b[(t * numVertices + v) * 3 + c] - a[(t * numVertices + v) * 3 + c]) / (double) ids.length;
            }
            for (int v = 0; v < numVertices; v++) {
                for (int c = 0; c < 3; c++) out[(t * numVertices + v) * 3 + c] += (float) d[c];
            }
        }
        return out;
    }

    /**
     * The angles in degrees between corresponding unit normals of the selected vertices, all frames.
     *
     * @param a [T, V, 3] unit normals
     * @param b [T, V, 3] unit normals
     */
    public static double[] normalAngles(float[] a, float[] b, int numVertices, int[] ids) {
        check(a, b);
        int frames = a.length / (numVertices * 3);
        double[] out = new double[frames * ids.length];
        int k = 0;
        for (int t = 0; t < frames; t++) {
            for (int v : ids) {
                int o = (t * numVertices + v) * 3;
                double dot = a[o] * b[o] + a[o + 1] * b[o + 1] + a[o + 2] * b[o + 2];
                out[k++] = Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, dot))));
            }
        }
        return out;
    }

    /** The median of {@code x} (the mean of the two middle values for an even count). */
    public static double median(double[] x) {
        if (x.length == 0) return Double.NaN;
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /**
     * Pearson correlation of two vector fields over the selected vertices (all three components pooled).
     *
     * @param a [V, 3]
     * @param b [V, 3]
     */
    public static double correlation(float[] a, float[] b, int[] ids) {
        check(a, b);
        double ma = 0, mb = 0;
        int n = ids.length * 3;
        for (int v : ids) for (int c = 0; c < 3; c++) {
            ma += a[v * 3 + c];
            mb += b[v * 3 + c];
        }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int v : ids) for (int c = 0; c < 3; c++) {
            double x = a[v * 3 + c] - ma, y = b[v * 3 + c] - mb;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    /** Mean absolute difference of two arrays of the same length. */
    public static double meanAbsoluteError(float[] a, float[] b) {
        check(a, b);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
        return s / a.length;
    }

    /** Mean Euclidean distance between corresponding 2-D points [N, 2]. */
    public static double meanPointDistance(float[] a, float[] b) {
        check(a, b);
        double s = 0;
        for (int i = 0; i < a.length; i += 2) s += Math.hypot(a[i] - b[i], a[i + 1] - b[i + 1]);
        return s / (a.length / 2);
    }

    /** Euclidean norm of an array. */
    public static double norm(float[] x) {
        double s = 0;
        for (float v : x) s += (double) v * v;
        return Math.sqrt(s);
    }

    private static void check(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("arrays differ in length: " + a.length + " vs " + b.length);
        }
    }
}
