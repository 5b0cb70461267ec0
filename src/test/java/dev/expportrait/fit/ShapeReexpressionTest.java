package dev.expportrait.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadModels;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.head.Regions;
import dev.expportrait.tensor.Tensors;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Moving D_id's shape-space part into the shape coefficients: weighted least squares, checked by brute force. */
class ShapeReexpressionTest {
    private static DenseHead head;
    private final Random r = new Random(11);

    @BeforeAll
    static void load() {
        Tensors.init();
        HeadModel m = HeadModels.load(HeadModels.BUILTIN);
        head = new DenseHead(m, HeadSubset.select(m), 0, ScalarType.Float);
    }

    private float[] randn(int n, double scale) {
        return FitPartsTest.randn(r, n, scale);
    }

    @Test
    void aFieldInTheShapeSpaceIsMovedWhollyIntoTheCoefficients() {
        int k = head.model().numShape(), vd = head.numVertices();
        float[] w = new float[vd];
        java.util.Arrays.fill(w, 1f);
        double[] d0 = new double[k];
        for (int i = 0; i < k; i++) d0[i] = r.nextGaussian() * 0.5;
        double[] d;
        try (ShapeReexpression re = ShapeReexpression.of(head, w)) {
            d = re.coefficients(re.offsets(d0));
        }
        for (int i = 0; i < k; i++) assertThat(d[i]).as("coefficient %d", i).isCloseTo(d0[i], within(2e-3));
    }

    @Test
    void theResidualIsOrthogonalToEveryDirectionUnderTheWeights() {
        int k = head.model().numShape(), vd = head.numVertices();
        float[] w = HeadFitter.reexpressionWeights(head.regions(), 0.5);
        float[] field = randn(vd * 3, 0.002), fitted, dirs;
        try (ShapeReexpression re = ShapeReexpression.of(head, w)) {
            fitted = Tensors.toFloats(re.offsets(re.coefficients(Tensors.floats(field, vd, 3))));
            dirs = Tensors.toFloats(re.directions());
        }
        // Normal equations by brute force in double precision: S_k^T W (D - S d) = 0 for every k.
        double scale = 0;
        for (int j = 0; j < k; j++) {
            double dot = 0, norm = 0;
            for (int v = 0; v < vd; v++) {
                for (int c = 0; c < 3; c++) {
                    double s = dirs[(j * vd + v) * 3 + c];
                    dot += s * w[v] * (field[v * 3 + c] - fitted[v * 3 + c]);
                    norm += s * w[v] * field[v * 3 + c];
                }
            }
            scale = Math.max(scale, Math.abs(norm));
            assertThat(Math.abs(dot)).as("direction %d", j).isLessThan(1e-3 * Math.max(1e-12, scale) + 1e-9);
        }
        assertThat(scale).isGreaterThan(0);
    }

    @Test
    void zeroWeightVerticesDoNotMoveTheCoefficients() {
        int vd = head.numVertices();
        int[] regions = head.regions();
        float[] w = HeadFitter.reexpressionWeights(regions, 0);
        float[] field = randn(vd * 3, 0.002);
        // Change the field on the ears and the scalp (weight 0 for a haired head): the coefficients stay.
        float[] changed = field.clone();
        int touched = 0;
        for (int v = 0; v < vd; v++) {
            if (regions[v] == Regions.EARS || regions[v] == Regions.SCALP) {
                changed[v * 3 + 1] += 0.01f;
                touched++;
            }
        }
        assertThat(touched).isGreaterThan(0);
        try (ShapeReexpression re = ShapeReexpression.of(head, w)) {
            double[] d = re.coefficients(Tensors.floats(field, vd, 3)), d2 = re.coefficients(Tensors.floats(changed, vd, 3));
            for (int i = 0; i < d.length; i++) assertThat(d2[i]).isCloseTo(d[i], within(1e-6 + 1e-4 * Math.abs(d[i])));
        }
        // The same change where the weight is 1 (a bald scalp) does move them.
        double[] b1, b2;
        try (ShapeReexpression bald = ShapeReexpression.of(head, HeadFitter.reexpressionWeights(regions, 1))) {
            b1 = bald.coefficients(Tensors.floats(field, vd, 3));
            b2 = bald.coefficients(Tensors.floats(changed, vd, 3));
        }
        double moved = 0;
        for (int i = 0; i < b1.length; i++) moved += Math.abs(b2[i] - b1[i]);
        assertThat(moved).isGreaterThan(1e-3);
    }

    @Test
    void theCanonicalSurfaceIsUnchanged() {
        // Eq. 1-3: U M(beta) + D_id = U M(beta + d) + (D_id - S d), whatever d is.
        int k = head.model().numShape(), vd = head.numVertices();
        float[] beta = randn(k, 0.7), field = randn(vd * 3, 0.003), before, after;
        Tensor b = Tensors.floats(beta, 1, k), identity = Tensors.floats(field, vd, 3);
        try (ShapeReexpression re = ShapeReexpression.of(head, HeadFitter.reexpressionWeights(head.regions(), 1))) {
            double[] d = re.coefficients(identity);
            float[] moved = new float[k];
            for (int i = 0; i < k; i++) moved[i] = (float) (beta[i] + d[i]);
            before = Tensors.toFloats(head.neutral(b).squeeze(0).add(identity));
            after = Tensors.toFloats(head.neutral(Tensors.floats(moved, 1, k)).squeeze(0).add(identity.sub(re.offsets(d))));
        }
        for (int i = 0; i < before.length; i++) assertThat(after[i]).isCloseTo(before[i], within(2e-6f));
    }

    @Test
    void theSilhouettesHairEstimateSaysHowBaldTheHeadIs() {
        assertThat(HeadFitter.baldness(0)).isEqualTo(1);
        assertThat(HeadFitter.baldness(0.0015)).isEqualTo(1);
        assertThat(HeadFitter.baldness(0.0035)).isCloseTo(0.5, within(1e-12));
        assertThat(HeadFitter.baldness(0.005)).isEqualTo(0);
        assertThat(HeadFitter.baldness(0.02)).isEqualTo(0);
    }

    @Test
    void choleskySolvesASymmetricPositiveDefiniteSystem() {
        double[] a = {4, 2, 0.4, 2, 5, 1, 0.4, 1, 3};
        double[] x0 = {0.3, -1.2, 2.0};
        double[] b = new double[3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) b[i] += a[i * 3 + j] * x0[j];
        double[] x = ShapeReexpression.Cholesky.solve(a, b, 3);
        for (int i = 0; i < 3; i++) assertThat(x[i]).isCloseTo(x0[i], within(1e-12));
    }
}
