package dev.expportrait.head;

/**
 * An independent, loop-by-loop double-precision LBS written from the SMPL-X definition, used as the
 * reference for {@link Lbs}: v' = sum_j w_vj G_j (v + B_S + B_E + B_P - j_rest).
 */
final class NaiveLbs {
    private NaiveLbs() {}

    /** Posed vertices [V][3] of one frame. pose is [J][3] axis-angle. */
    static double[][] pose(HeadModel m, double[] betas, double[] expr, double[][] pose) {
        int v = m.numVertices();
        int j = m.numJoints();
        int k = m.numShape() + m.numExpression();
        double[][] shaped = new double[v][3];
        for (int i = 0; i < v; i++) {
            for (int c = 0; c < 3; c++) {
                double x = m.vTemplate()[i * 3 + c];
                for (int b = 0; b < betas.length; b++) {
                    x += betas[b] * m.shapedirs()[(i * 3 + c) * k + b];
                }
                for (int b = 0; b < expr.length; b++) {
                    x += expr[b] * m.shapedirs()[(i * 3 + c) * k + m.numShape() + b];
                }
                shaped[i][c] = x;
            }
        }
        double[][] joints = new double[j][3];
        for (int a = 0; a < j; a++) {
            for (int i = 0; i < v; i++) {
                for (int c = 0; c < 3; c++) {
                    joints[a][c] += m.jRegressor()[a * v + i] * shaped[i][c];
                }
            }
        }
        double[][][] rot = new double[j][][];
        for (int a = 0; a < j; a++) {
            rot[a] = rodrigues(pose[a]);
        }
        int p = m.numPoseBasis();
        if (p > 0) {
            double[] feature = new double[p];
            for (int a = 1; a < j; a++) {
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 3; c++) {
                        feature[(a - 1) * 9 + r * 3 + c] = rot[a][r][c] - (r == c ? 1 : 0);
                    }
                }
            }
            for (int i = 0; i < v; i++) {
                for (int c = 0; c < 3; c++) {
                    for (int q = 0; q < p; q++) {
                        shaped[i][c] += feature[q] * m.posedirs()[(i * 3 + c) * p + q];
                    }
                }
            }
        }
        // World rotation and translation of every joint frame.
        double[][][] gr = new double[j][][];
        double[][] gt = new double[j][];
        for (int a = 0; a < j; a++) {
            int par = m.parents()[a];
            if (par < 0) {
                gr[a] = rot[a];
                gt[a] = joints[a].clone();
            } else {
                double[] rel = sub(joints[a], joints[par]);
                gr[a] = mul(gr[par], rot[a]);
                gt[a] = add(apply(gr[par], rel), gt[par]);
            }
        }
        double[][] out = new double[v][3];
        for (int i = 0; i < v; i++) {
            for (int a = 0; a < j; a++) {
                double w = m.weights()[i * j + a];
                if (w == 0) {
                    continue;
                }
                double[] moved = add(apply(gr[a], sub(shaped[i], joints[a])), gt[a]);
                for (int c = 0; c < 3; c++) {
                    out[i][c] += w * moved[c];
                }
            }
        }
        return out;
    }

    /** Rodrigues' formula with the axis normalised exactly (no epsilon). */
    static double[][] rodrigues(double[] r) {
        double a = Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
        double[][] out = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        if (a < 1e-12) {
            return out;
        }
        double x = r[0] / a, y = r[1] / a, z = r[2] / a;
        double c = Math.cos(a), s = Math.sin(a), t = 1 - c;
        return new double[][] {
            {t * x * x + c, t * x * y - s * z, t * x * z + s * y},
            {t * x * y + s * z, t * y * y + c, t * y * z - s * x},
            {t * x * z - s * y, t * y * z + s * x, t * z * z + c}
        };
    }

    static double[][] mul(double[][] a, double[][] b) {
        double[][] o = new double[3][3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                for (int q = 0; q < 3; q++) {
                    o[r][c] += a[r][q] * b[q][c];
                }
            }
        }
        return o;
    }

    static double[] apply(double[][] m, double[] v) {
        return new double[] {
            m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
            m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
            m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2]
        };
    }

    static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }
}
