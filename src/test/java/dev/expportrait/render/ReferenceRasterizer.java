package dev.expportrait.render;

import java.util.Arrays;

/**
 * Brute-force rasterizer for tests: every pixel against every triangle, double-precision edge functions,
 * the top-left rule and nearest z, written for clarity rather than speed.
 */
final class ReferenceRasterizer {
    private ReferenceRasterizer() {}

    static RasterBuffers rasterize(float[] v, int[] faces, Intrinsics k, RasterOptions options) {
        int w = k.width(), h = k.height();
        int[] tri = new int[w * h];
        float[] bary = new float[2 * w * h];
        float[] depth = new float[w * h];
        Arrays.fill(tri, -1);
        Arrays.fill(depth, Float.POSITIVE_INFINITY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double best = Double.POSITIVE_INFINITY;
                for (int f = 0; f < faces.length / 3; f++) {
                    double[] hit = sample(v, faces, f, k, options, x, y);
                    if (hit != null && hit[2] < best) {
                        best = hit[2];
                        int p = y * w + x;
                        tri[p] = f;
                        bary[2 * p] = (float) hit[0];
                        bary[2 * p + 1] = (float) hit[1];
                        depth[p] = (float) hit[2];
                    }
                }
            }
        }
        return new RasterBuffers(w, h, tri, bary, depth);
    }

    /** Whether face f covers pixel (x, y) alone: {b0, b1, z} or null. */
    static double[] sample(float[] v, int[] faces, int f, Intrinsics k, RasterOptions options, int x, int y) {
        double[][] p = new double[3][];
        double[] z = new double[3];
        for (int i = 0; i < 3; i++) {
            int vi = faces[3 * f + i];
            z[i] = v[3 * vi + 2];
            if (!(z[i] >= options.near())) {
                return null;
            }
            p[i] = new double[] {k.fx() * v[3 * vi] / z[i] + k.cx(), k.fy() * v[3 * vi + 1] / z[i] + k.cy()};
        }
        double area = (p[1][0] - p[0][0]) * (p[2][1] - p[0][1]) - (p[2][0] - p[0][0]) * (p[1][1] - p[0][1]);
        if (area == 0 || (options.cullBackFaces() && area > 0)) {
            return null;
        }
        double orient = Math.signum(area);
        double[] l = new double[3];
        for (int i = 0; i < 3; i++) {
            double[] a = p[(i + 1) % 3], b = p[(i + 2) % 3];
            // The same value for both triangles of a shared edge: evaluate from the smaller endpoint.
            boolean swap = a[0] > b[0] || (a[0] == b[0] && a[1] > b[1]);
            double e = swap ? -edge(b, a, x, y) : edge(a, b, x, y);
            double inside = orient * e;
            double nx = -orient * (b[1] - a[1]), ny = orient * (b[0] - a[0]);
            boolean owns = nx > 0 || (nx == 0 && ny > 0);
            if (inside < 0 || (inside == 0 && !owns)) {
                return null;
            }
            l[i] = inside;
        }
        double s = l[0] / z[0] + l[1] / z[1] + l[2] / z[2];
        return new double[] {l[0] / z[0] / s, l[1] / z[1] / s, Math.abs(area) / s};
    }

    private static double edge(double[] a, double[] b, double x, double y) {
        return (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
    }

    /** Per pixel, how many faces cover it when each is drawn alone (no depth test). */
    static int[] coverageCount(float[] v, int[] faces, Intrinsics k, RasterOptions options) {
        int[] count = new int[k.width() * k.height()];
        for (int f = 0; f < faces.length / 3; f++) {
            int[] one = Arrays.copyOfRange(faces, 3 * f, 3 * f + 3);
            int[] tri = Rasterizer.rasterize(v, one, k, options).triangle();
            for (int i = 0; i < count.length; i++) {
                count[i] += tri[i] >= 0 ? 1 : 0;
            }
        }
        return count;
    }
}
