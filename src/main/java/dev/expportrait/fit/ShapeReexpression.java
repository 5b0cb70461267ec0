package dev.expportrait.fit;

import dev.expportrait.head.DenseHead;
import dev.expportrait.tensor.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Moves the part of a static offset field that the base model's shape space can express into the shape
 * coefficients (Sec. 3.1.3: D_id is the personalized geometry the parametric base lacks, not a second copy
 * of its shape space). The base of Eq. 1-2 is linear in beta (no pose correctives in the canonical mesh), so
 * U M(beta + d) + (D_id - S d) is the same canonical surface for any d; this picks the d that leaves the
 * least of D_id in the span of the dense shape directions S, under per-vertex weights:
 * d = argmin sum_v w_v |D_id,v - (S d)_v|^2 (a K x K least-squares problem, K shape directions).
 *
 * <p>Without it D_id takes up the shape coefficients' error wherever landmarks do not reach (skull height,
 * neck thickness, shoulder width), since a per-vertex field is the cheaper variable there.
 *
 * <p>Holds the dense shape directions S [K, Vd, 3] (metres per unit coefficient), the per-vertex weights w [Vd, 1]
 * and the weighted normal matrix S^T W S (K x K); native memory until {@link #close()}.
 */
public final class ShapeReexpression implements AutoCloseable {
    private final Tensor directions;
    private final double[] gram;
    private final Tensor weights;

    private ShapeReexpression(Tensor directions, double[] gram, Tensor weights) {
        this.directions = directions;
        this.gram = gram;
        this.weights = weights;
    }

    /** The dense shape directions S [K, Vd, 3], metres per unit coefficient. */
    public Tensor directions() {
        return directions;
    }

    /** The dense shape directions of {@code head} with per-vertex weights {@code w} (length Vd, >= 0). */
    public static ShapeReexpression of(DenseHead head, float[] w) {
        int k = head.model().numShape();
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor s;
            try (PointerScope scope = new PointerScope()) {
                s = Tensors.keep(head.neutral(torch.eye(k)).sub(head.neutral(torch.zeros(1, k))).contiguous());
            }
            return of(s, Tensors.keep(Tensors.floats(w, w.length, 1)));
        }
    }

    /** From the directions [K, Vd, 3] and weights [Vd, 1] directly (kept alive until {@link #close()}). */
    private static ShapeReexpression of(Tensor directions, Tensor weights) {
        int k = (int) directions.size(0);
        double[] gram = new double[k * k];
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor flat = directions.reshape(k, -1);
            Tensor weighted = directions.mul(weights.unsqueeze(0)).reshape(k, -1);
            float[] m = Tensors.toFloats(weighted.matmul(flat.t()));
            double trace = 0;
            for (int i = 0; i < k; i++) trace += m[i * k + i];
            for (int i = 0; i < k * k; i++) gram[i] = m[i];
            // A ridge of 1e-9 of the mean diagonal: a direction with no weight at all gets d = 0, not NaN.
            for (int i = 0; i < k; i++) gram[i * k + i] += 1e-9 * trace / k + 1e-30;
        }
        return new ShapeReexpression(directions, gram, weights);
    }

    /**
     * The coefficients d [K] whose shape offset S d best explains {@code field} under the weights.
     *
     * @param field a static offset field [Vd, 3], metres
     */
    public double[] coefficients(Tensor field) {
        int k = (int) directions.size(0);
        float[] rhs;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor weighted = field.detach().mul(weights).reshape(-1, 1);
            rhs = Tensors.toFloats(directions.reshape(k, -1).matmul(weighted));
        }
        double[] b = new double[k];
        for (int i = 0; i < k; i++) b[i] = rhs[i];
        return Cholesky.solve(gram, b, k);
    }

    /** S d [Vd, 3] for coefficients d. */
    public Tensor offsets(double[] d) {
        return row(d).matmul(directions.reshape(d.length, -1)).reshape(directions.size(1), 3);
    }

    /** Coefficients d as a float row [1, K], the layout of the shape coefficients beta. */
    static Tensor row(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return Tensors.floats(f, 1, d.length);
    }

    /** Releases the directions and weights (they outlive any PointerScope they were made in). */
    @Override
    public void close() {
        directions.releaseReference();
        weights.releaseReference();
    }

    /** Dense symmetric positive-definite solve, small sizes. */
    static final class Cholesky {
        private Cholesky() {}

        static double[] solve(double[] a, double[] b, int n) {
            double[] l = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = a[i * n + j];
                    for (int p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p];
                    if (i == j) {
                        if (!(s > 0)) throw new IllegalStateException("matrix not positive definite at row " + i);
                        l[i * n + i] = Math.sqrt(s);
                    } else {
                        l[i * n + j] = s / l[j * n + j];
                    }
                }
            }
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double s = b[i];
                for (int p = 0; p < i; p++) s -= l[i * n + p] * y[p];
                y[i] = s / l[i * n + i];
            }
            double[] x = new double[n];
            for (int i = n - 1; i >= 0; i--) {
                double s = y[i];
                for (int p = i + 1; p < n; p++) s -= l[p * n + i] * x[p];
                x[i] = s / l[i * n + i];
            }
            return x;
        }
    }
}
