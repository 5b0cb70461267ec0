package dev.expportrait.head.builtin;

import java.util.function.ToDoubleFunction;

/**
 * Builds the {@link BustSurface}: samples the blended profiles on the non-uniform grid, displaces each point
 * along its normal by the feature heightfield, and lays out faces and UVs.
 *
 * <p>A level of the profiles becomes a horizontal superellipse around the centre between the front and back
 * midline points: front half-axis, back half-axis and side half-width come from the three profiles. The height
 * of a point blends the profile heights by cos^2 (front, back) and sin^2 (side) of its column angle.
 */
final class BustSurfaceBuilder {
    private BustSurfaceBuilder() {}

    static final int COLUMNS = 80;
    private static final double H = 1e-5;

    static BustSurface build(ToDoubleFunction<SurfacePoint> featureHeight) {
        double[] rowT = GridSampling.rowParameters();
        double[] theta = GridSampling.columnAngles(COLUMNS);
        int rows = rowT.length;
        int n = 1 + rows * COLUMNS;
        SurfacePoint[] points = new SurfacePoint[n];
        double[] vertices = new double[3 * n];
        int[] mirror = new int[n];
        BustProfiles.Level crown = BustProfiles.at(0);
        points[0] = new SurfacePoint(0, crown.yFront(), crown.zFront(), 0, 1, 0, 0, 0);
        for (int i = 1; i <= rows; i++) {
            for (int j = 0; j <= COLUMNS / 2; j++) {
                points[BustSurface.index(i, j, COLUMNS)] = surfacePoint(rowT[i - 1], theta[j]);
            }
            // The right half is the exact mirror image of the left, so the mesh is left-right symmetric.
            for (int j = COLUMNS / 2 + 1; j < COLUMNS; j++) {
                SurfacePoint l = points[BustSurface.index(i, COLUMNS - j, COLUMNS)];
                points[BustSurface.index(i, j, COLUMNS)] =
                        new SurfacePoint(-l.x(), l.y(), l.z(), -l.nx(), l.ny(), l.nz(), l.t(), theta[j]);
            }
            for (int j = 0; j < COLUMNS; j++) {
                mirror[BustSurface.index(i, j, COLUMNS)] = BustSurface.index(i, (COLUMNS - j) % COLUMNS, COLUMNS);
            }
        }
        for (int v = 0; v < n; v++) {
            SurfacePoint p = points[v];
            double h = featureHeight.applyAsDouble(p);
            vertices[3 * v] = p.x() + h * p.nx();
            vertices[3 * v + 1] = p.y() + h * p.ny();
            vertices[3 * v + 2] = p.z() + h * p.nz();
        }
        // Points on the midline get x = 0 exactly.
        for (int i = 1; i <= rows; i++) {
            vertices[3 * BustSurface.index(i, 0, COLUMNS)] = 0;
            vertices[3 * BustSurface.index(i, COLUMNS / 2, COLUMNS)] = 0;
        }
        return new BustSurface(vertices, points, faces(rows), uvs(rowT, theta), uvFaces(rows), mirror, rows, COLUMNS);
    }

    /** The undisplaced surface point at knot parameter t and column angle a, with its outward normal. */
    static SurfacePoint surfacePoint(double t, double a) {
        double[] p = position(t, a);
        double[] dt = difference(position(Math.min(t + H, BustProfiles.lastKnot()), a), position(Math.max(t - H, 0), a));
        double[] da = difference(position(t, a + H), position(t, a - H));
        // Rows run downwards and angles towards +x, so dt x da points out of the surface.
        double nx = dt[1] * da[2] - dt[2] * da[1];
        double ny = dt[2] * da[0] - dt[0] * da[2];
        double nz = dt[0] * da[1] - dt[1] * da[0];
        double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
        return new SurfacePoint(p[0], p[1], p[2], nx / len, ny / len, nz / len, t, a);
    }

    private static double[] position(double t, double a) {
        BustProfiles.Level l = BustProfiles.at(t);
        double c = Math.cos(a);
        double s = Math.sin(a);
        double cz = 0.5 * (l.zFront() + l.zBack());
        double depth = c >= 0 ? l.zFront() - cz : cz - l.zBack();
        double e = l.exponent();
        double r = 1 / Math.pow(Math.pow(Math.abs(s) / l.xSide(), e) + Math.pow(Math.abs(c) / depth, e), 1 / e);
        double front = c > 0 ? c * c : 0;
        double back = c < 0 ? c * c : 0;
        double y = front * l.yFront() + s * s * l.ySide() + back * l.yBack();
        return new double[] {r * s, y, cz + r * c};
    }

    private static double[] difference(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    /**
     * A fan at the crown, then two triangles per grid quad. The quad diagonal mirrors across the midline (one
     * direction on the left half, the other on the right), so the triangulation itself is symmetric.
     */
    private static int[] faces(int rows) {
        int c = COLUMNS;
        int[] f = new int[3 * (c + 2 * c * (rows - 1))];
        int k = 0;
        for (int j = 0; j < c; j++) {
            k = put(f, k, 0, BustSurface.index(1, j, c), BustSurface.index(1, (j + 1) % c, c));
        }
        for (int i = 1; i < rows; i++) {
            for (int j = 0; j < c; j++) {
                int a = BustSurface.index(i, j, c);
                int b = BustSurface.index(i, (j + 1) % c, c);
                int lo = BustSurface.index(i + 1, j, c);
                int d = BustSurface.index(i + 1, (j + 1) % c, c);
                if (j < c / 2) {
                    k = put(f, k, a, lo, d);
                    k = put(f, k, a, d, b);
                } else {
                    k = put(f, k, a, lo, b);
                    k = put(f, k, b, lo, d);
                }
            }
        }
        return f;
    }

    private static int put(int[] f, int k, int a, int b, int c) {
        f[k] = a;
        f[k + 1] = b;
        f[k + 2] = c;
        return k + 3;
    }

    /**
     * Cylindrical UVs: u = 0.5 + theta / 2 pi (the face at the centre of the texture), v from 1 at the crown to 0
     * at the bottom cut, proportional to the knot parameter. The back column (theta = pi) is stored twice, at u = 1
     * for the left half and u = 0 for the right half: UV vertex V + row - 1 is the u = 0 copy of that row.
     */
    private static float[] uvs(double[] rowT, double[] theta) {
        int rows = rowT.length;
        int n = 1 + rows * COLUMNS;
        float[] uv = new float[2 * (n + rows)];
        uv[0] = 0.5f;
        uv[1] = 1f;
        double last = BustProfiles.lastKnot();
        for (int i = 1; i <= rows; i++) {
            float v = (float) (1 - rowT[i - 1] / last);
            for (int j = 0; j < COLUMNS; j++) {
                int idx = BustSurface.index(i, j, COLUMNS);
                uv[2 * idx] = j == COLUMNS / 2 ? 1f : (float) (0.5 + theta[j] / (2 * Math.PI));
                uv[2 * idx + 1] = v;
            }
            uv[2 * (n + i - 1)] = 0f;
            uv[2 * (n + i - 1) + 1] = v;
        }
        return uv;
    }

    /** The faces again with the back column of the right half (the quads after column cols/2) on the u = 0 copy. */
    private static int[] uvFaces(int rows) {
        int[] f = faces(rows);
        int n = 1 + rows * COLUMNS;
        for (int k = 0; k < f.length / 3; k++) {
            boolean rightOfSeam = k >= COLUMNS && (k - COLUMNS) % (2 * COLUMNS) >= 2 * (COLUMNS / 2)
                    && (k - COLUMNS) % (2 * COLUMNS) < 2 * (COLUMNS / 2 + 1);
            boolean fanRightOfSeam = k == COLUMNS / 2;
            if (!rightOfSeam && !fanRightOfSeam) {
                continue;
            }
            for (int c = 0; c < 3; c++) {
                int v = f[3 * k + c];
                if (v > 0 && (v - 1) % COLUMNS == COLUMNS / 2) {
                    f[3 * k + c] = n + (v - 1) / COLUMNS;
                }
            }
        }
        return f;
    }
}
