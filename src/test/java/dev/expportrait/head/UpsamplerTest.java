package dev.expportrait.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpsamplerTest {
    /** A closed, outward-oriented octahedron: V 6, E 12, F 8. */
    static final float[] OCTA_V = {1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1};
    static final int[] OCTA_F = {0, 2, 4, 2, 1, 4, 1, 3, 4, 3, 0, 4, 2, 0, 5, 1, 2, 5, 3, 1, 5, 0, 3, 5};

    /** An open 3 x 4 grid of vertices (6 quads, 12 triangles). */
    static int[] gridFaces(int w, int h) {
        int[] f = new int[(w - 1) * (h - 1) * 6];
        int n = 0;
        for (int y = 0; y < h - 1; y++) {
            for (int x = 0; x < w - 1; x++) {
                int a = y * w + x, b = a + 1, c = a + w, d = c + 1;
                int[] q = {a, b, d, a, d, c};
                System.arraycopy(q, 0, f, n, 6);
                n += 6;
            }
        }
        return f;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void countsFollowVPlusEAndFourFPerLevel(int levels) {
        Upsampler u = Upsampler.build(OCTA_F, 6, levels);
        int v = 6, f = 8;
        for (int l = 0; l < levels; l++) {
            int e = 3 * f / 2; // closed triangle mesh
            v += e;
            f *= 4;
        }
        assertThat(u.numDense()).isEqualTo(v);
        assertThat(u.denseFaces().length / 3).isEqualTo(f);
        // Closed and consistently oriented still; Euler characteristic of a sphere.
        MeshTopology.Report r = MeshTopology.check(u.denseFaces(), u.numDense());
        assertThat(r.isOrientedManifold()).isTrue();
        assertThat(r.boundaryEdges()).isZero();
        assertThat(r.components()).isEqualTo(1);
        assertThat(u.numDense() - r.numEdges() + f).isEqualTo(2);
    }

    @Test
    void openMeshKeepsOneBoundaryLoopAndOrientation() {
        int[] faces = gridFaces(3, 4);
        Upsampler u = Upsampler.build(faces, 12, 2);
        MeshTopology.Report r = MeshTopology.check(u.denseFaces(), u.numDense());
        assertThat(r.isOrientedManifold()).isTrue();
        assertThat(r.boundaryLoops()).isEqualTo(1);
        assertThat(r.boundaryEdges()).isEqualTo(4 * MeshTopology.check(faces, 12).boundaryEdges());
        // A disc: Euler characteristic 1; 12 + 23 edges + 82 level-1 edges vertices.
        assertThat(u.numDense() - r.numEdges() + u.denseFaces().length / 3).isEqualTo(1);
        assertThat(u.numDense()).isEqualTo(12 + 23 + 82);
    }

    @Test
    void rowsAreBarycentricAndCoarseVerticesAreReproducedExactly() {
        Upsampler u = Upsampler.build(OCTA_F, 6, 2);
        int[] cols = u.columns();
        float[] w = u.weights();
        for (int r = 0; r < u.numDense(); r++) {
            double sum = 0;
            for (int k = 0; k < u.width(); k++) {
                assertThat(w[r * u.width() + k]).isGreaterThanOrEqualTo(0f);
                sum += w[r * u.width() + k];
            }
            assertThat(sum).isCloseTo(1.0, within(1e-6));
        }
        float[] dense = u.apply(OCTA_V, 3);
        for (int i = 0; i < 18; i++) {
            assertThat(dense[i]).isEqualTo(OCTA_V[i]);
        }
    }

    @Test
    void everyDenseVertexOfLevelOneIsTheMidpointOfItsParentEdge() {
        Upsampler u = Upsampler.build(OCTA_F, 6, 1);
        float[] dense = u.apply(OCTA_V, 3);
        int[] df = u.denseFaces();
        for (int f = 0; f < 8; f++) {
            int a = OCTA_F[f * 3], b = OCTA_F[f * 3 + 1], c = OCTA_F[f * 3 + 2];
            // The centre child (4f + 3) has the three edge midpoints ab, bc, ca.
            int[] mids = {df[(4 * f + 3) * 3], df[(4 * f + 3) * 3 + 1], df[(4 * f + 3) * 3 + 2]};
            int[][] ends = {{a, b}, {b, c}, {c, a}};
            for (int m = 0; m < 3; m++) {
                for (int k = 0; k < 3; k++) {
                    float want = 0.5f * (OCTA_V[ends[m][0] * 3 + k] + OCTA_V[ends[m][1] * 3 + k]);
                    assertThat(dense[mids[m] * 3 + k]).isCloseTo(want, within(1e-7f));
                }
            }
        }
    }

    @Test
    void tensorApplyMatchesArrayApplyAndItsGradientIsTheTranspose() {
        Upsampler u = Upsampler.build(gridFaces(4, 4), 16, 2);
        Random r = new Random(1);
        double[] x = new double[16 * 3];
        double[] g = new double[u.numDense() * 3];
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
        for (int i = 0; i < g.length; i++) g[i] = r.nextGaussian();
        Tensor xt = Tensors.doubles(x, 1, 16, 3).set_requires_grad(true);
        Tensor y = u.apply(xt);
        assertThat(Tensors.shape(y)).containsExactly(1, u.numDense(), 3);
        float[] xf = new float[x.length];
        for (int i = 0; i < x.length; i++) xf[i] = (float) x[i];
        float[] want = u.apply(xf, 3);
        double[] got = Tensors.toDoubles(y);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).isCloseTo(want[i], within(1e-5));
        }
        y.mul(Tensors.doubles(g, 1, u.numDense(), 3)).sum().backward();
        double[] grad = Tensors.toDoubles(xt.grad());
        double[] expected = new double[x.length];
        int[] cols = u.columns();
        float[] w = u.weights();
        for (int row = 0; row < u.numDense(); row++) {
            for (int k = 0; k < u.width(); k++) {
                for (int c = 0; c < 3; c++) {
                    expected[cols[row * u.width() + k] * 3 + c] += w[row * u.width() + k] * g[row * 3 + c];
                }
            }
        }
        for (int i = 0; i < x.length; i++) {
            assertThat(grad[i]).isCloseTo(expected[i], within(1e-9));
        }
    }

    @Test
    void surfacePointsMapToTheSamePositionOnTheDenseMesh() {
        Upsampler u = Upsampler.build(OCTA_F, 6, 2);
        float[] dense = u.apply(OCTA_V, 3);
        int[] df = u.denseFaces();
        Random r = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int f = r.nextInt(8);
            double a = r.nextDouble(), b = r.nextDouble() * (1 - a);
            float[] bary = {(float) a, (float) b, (float) (1 - a - b)};
            Upsampler.SurfacePoint p = u.mapSurfacePoint(f, bary);
            for (float x : p.bary()) {
                assertThat(x).isBetween(-1e-5f, 1 + 1e-5f);
            }
            for (int k = 0; k < 3; k++) {
                double want = 0, got = 0;
                for (int c = 0; c < 3; c++) {
                    want += bary[c] * OCTA_V[OCTA_F[f * 3 + c] * 3 + k];
                    got += p.bary()[c] * dense[df[p.face() * 3 + c] * 3 + k];
                }
                assertThat(got).isCloseTo(want, within(1e-5));
            }
        }
    }

    @Test
    void labelsTakeTheHeavierSideAndTiesGoToTheSmallerLabel() {
        int[] labels = {0, 0, 0, 0, 5, 5};
        Upsampler u = Upsampler.build(OCTA_F, 6, 2);
        int[] dense = u.applyLabels(labels);
        int[] cols = u.columns();
        float[] w = u.weights();
        for (int r = 0; r < u.numDense(); r++) {
            double five = 0;
            for (int k = 0; k < u.width(); k++) {
                if (labels[cols[r * u.width() + k]] == 5) five += w[r * u.width() + k];
            }
            assertThat(dense[r]).isEqualTo(five > 0.5 + 1e-6 ? 5 : 0);
        }
    }
}
