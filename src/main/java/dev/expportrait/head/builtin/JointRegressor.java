package dev.expportrait.head.builtin;

/**
 * Builds joint regressor rows [J, V]: for each joint, non-negative vertex weights summing to 1 whose weighted
 * mean is the joint's rest position.
 *
 * <p>The weights are the maximum-entropy distribution closest to a Gaussian around the joint: w_i is proportional
 * to exp(-|v_i - p|^2 / 2 sigma^2 + lambda . (v_i - p)), with lambda found by Newton's method so the mean hits p.
 * The Gaussian keeps each row local (a ring around the neck, symmetric pairs either side of the jaw); lambda only
 * tilts it. Any p strictly inside the bust is reachable.
 */
final class JointRegressor {
    private JointRegressor() {}

    static float[] build(double[] vertices, double[][] joints) {
        int n = vertices.length / 3;
        float[] r = new float[joints.length * n];
        for (int j = 0; j < joints.length; j++) {
            double[] w = row(vertices, joints[j]);
            for (int v = 0; v < n; v++) {
                r[j * n + v] = (float) w[v];
            }
        }
        return r;
    }

    /** One row: the local convex weights reproducing position p. */
    static double[] row(double[] vertices, double[] p) {
        int n = vertices.length / 3;
        double nearest = Double.MAX_VALUE;
        for (int v = 0; v < n; v++) {
            nearest = Math.min(nearest, dist2(vertices, v, p));
        }
        double sigma = 0.012 + 0.6 * Math.sqrt(nearest);
        double[] prior = new double[n];
        for (int v = 0; v < n; v++) {
            prior[v] = -dist2(vertices, v, p) / (2 * sigma * sigma);
        }
        double[] lambda = new double[3];
        double[] w = new double[n];
        double f = tilt(vertices, p, prior, lambda, w);
        for (int iter = 0; iter < 200; iter++) {
            double[] g = new double[3];
            double[][] h = new double[3][3];
            moments(vertices, p, w, g, h);
            if (Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]) < 1e-8) {
                break;
            }
            double[] step = solve(h, g);
            double slope = -(g[0] * step[0] + g[1] * step[1] + g[2] * step[2]);
            double alpha = 1;
            double[] trial = new double[3];
            double[] trialW = new double[n];
            while (true) {
                for (int c = 0; c < 3; c++) {
                    trial[c] = lambda[c] - alpha * step[c];
                }
                double ft = tilt(vertices, p, prior, trial, trialW);
                if (ft <= f + 1e-4 * alpha * slope || alpha < 1e-10) {
                    f = ft;
                    break;
                }
                alpha *= 0.5;
            }
            System.arraycopy(trial, 0, lambda, 0, 3);
            System.arraycopy(trialW, 0, w, 0, n);
        }
        return w;
    }

    /** Fills w with the normalised tilted weights and returns the log-partition (the convex objective). */
    private static double tilt(double[] vertices, double[] p, double[] prior, double[] lambda, double[] w) {
        int n = w.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < n; v++) {
            double l = prior[v];
            for (int c = 0; c < 3; c++) {
                l += lambda[c] * (vertices[3 * v + c] - p[c]);
            }
            w[v] = l;
            max = Math.max(max, l);
        }
        double sum = 0;
        for (int v = 0; v < n; v++) {
            w[v] = Math.exp(w[v] - max);
            sum += w[v];
        }
        for (int v = 0; v < n; v++) {
            w[v] /= sum;
        }
        return max + Math.log(sum);
    }

    /** Gradient (mean offset from p) and Hessian (covariance) of the log-partition. */
    private static void moments(double[] vertices, double[] p, double[] w, double[] g, double[][] h) {
        for (int v = 0; v < w.length; v++) {
            for (int a = 0; a < 3; a++) {
                double da = vertices[3 * v + a] - p[a];
                g[a] += w[v] * da;
                for (int b = 0; b < 3; b++) {
                    h[a][b] += w[v] * da * (vertices[3 * v + b] - p[b]);
                }
            }
        }
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                h[a][b] -= g[a] * g[b];
            }
            h[a][a] += 1e-12;
        }
    }

    /** Solves the 3x3 system h x = g by Cramer's rule. */
    private static double[] solve(double[][] h, double[] g) {
        double det = det(h[0], h[1], h[2]);
        double[] x = new double[3];
        for (int c = 0; c < 3; c++) {
            double[][] m = {h[0].clone(), h[1].clone(), h[2].clone()};
            for (int r = 0; r < 3; r++) {
                m[r][c] = g[r];
            }
            x[c] = det(m[0], m[1], m[2]) / det;
        }
        return x;
    }

    private static double det(double[] a, double[] b, double[] c) {
        return a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
    }

    private static double dist2(double[] vertices, int v, double[] p) {
        double dx = vertices[3 * v] - p[0];
        double dy = vertices[3 * v + 1] - p[1];
        double dz = vertices[3 * v + 2] - p[2];
        return dx * dx + dy * dy + dz * dz;
    }
}
