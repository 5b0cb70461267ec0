package dev.expportrait.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

class DenseHeadTest {
    private static final int V = 14, J = 5, S = 3, E = 4, T = 2;
    private final HeadModel model = TinyModels.random(11, V, J, S, E, true);
    private final Random r = new Random(12);

    private Tensor randn(double scale, long... shape) {
        int n = 1;
        for (long s : shape) n *= (int) s;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextGaussian() * scale;
        return Tensors.doubles(x, shape);
    }

    @Test
    void levelZeroWithoutOffsetsIsTheBaseModel() {
        DenseHead head = new DenseHead(model, HeadSubset.all(model), 0, ScalarType.Double);
        Tensor betas = randn(1, T, S), expr = randn(1, T, E), pose = randn(0.4, T, J, 3), transl = randn(0.1, T, 3);
        double[] dense = Tensors.toDoubles(head.pose(betas, expr, pose, transl, null, null).vertices());
        double[] base = Tensors.toDoubles(Lbs.forward(HeadTensors.of(model, ScalarType.Double), betas, expr, pose, transl).vertices());
        assertThat(dense).hasSameSizeAs(base);
        for (int i = 0; i < base.length; i++) assertThat(dense[i]).isCloseTo(base[i], within(1e-10));
    }

    @Test
    void coarseVerticesOfTheDenseMeshPoseExactlyAsTheBaseModel() {
        DenseHead head = new DenseHead(model, HeadSubset.all(model), 2, ScalarType.Double);
        assertThat(head.numVertices()).isGreaterThan(V * 4);
        Tensor betas = randn(1, T, S), expr = randn(1, T, E), pose = randn(0.4, T, J, 3);
        double[] dense = Tensors.toDoubles(head.pose(betas, expr, pose, null, null, null).vertices());
        double[] base = Tensors.toDoubles(Lbs.forward(HeadTensors.of(model, ScalarType.Double), betas, expr, pose, null).vertices());
        int vd = head.numVertices();
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < V * 3; i++) {
                assertThat(dense[t * vd * 3 + i]).isCloseTo(base[t * V * 3 + i], within(1e-10));
            }
        }
    }

    @Test
    void denseSkinningWeightsAreConvexRows() {
        DenseHead head = new DenseHead(model, HeadSubset.all(model), 2, ScalarType.Double);
        double[] w = Tensors.toDoubles(head.denseWeights());
        for (int v = 0; v < head.numVertices(); v++) {
            double sum = 0;
            for (int j = 0; j < J; j++) {
                assertThat(w[v * J + j]).isGreaterThanOrEqualTo(0);
                sum += w[v * J + j];
            }
            assertThat(sum).isCloseTo(1, within(1e-6));
        }
    }

    @Test
    void atRestTheOffsetsAddToTheUpsampledNeutralMesh() {
        DenseHead head = new DenseHead(model, HeadSubset.all(model), 1, ScalarType.Double);
        int vd = head.numVertices();
        Tensor betas = randn(1, 1, S);
        Tensor dId = randn(0.01, vd, 3), dExp = randn(0.01, 1, vd, 3);
        double[] posed = Tensors.toDoubles(head.pose(betas, null, head.zeroPose(1), null, dId, dExp).vertices());
        double[] neutral = Tensors.toDoubles(head.neutral(betas));
        double[] id = Tensors.toDoubles(dId), exp = Tensors.toDoubles(dExp);
        for (int i = 0; i < posed.length; i++) {
            // Skinning weights are stored in float32, so their rows sum to 1 within ~1e-7.
            assertThat(posed[i]).isCloseTo(neutral[i] + id[i] + exp[i], within(1e-7));
        }
    }

    @Test
    void aRootRotationMovesTheDetailedMeshRigidly() {
        HeadModel rigid = TinyModels.random(13, V, J, S, E, false);
        DenseHead head = new DenseHead(rigid, HeadSubset.all(rigid), 1, ScalarType.Double);
        int vd = head.numVertices();
        Tensor dId = randn(0.02, vd, 3);
        Tensor betas = Tensors.zeros(ScalarType.Double, 1, S);
        double[] aa = {0.2, 0.5, -0.3};
        double[] pose = new double[J * 3];
        System.arraycopy(aa, 0, pose, 0, 3);
        Lbs.Posed rest = head.pose(betas, null, head.zeroPose(1), null, dId, null);
        double[] v0 = Tensors.toDoubles(rest.vertices());
        double[] root = java.util.Arrays.copyOf(Tensors.toDoubles(rest.joints()), 3);
        double[] v1 = Tensors.toDoubles(head.pose(betas, null, Tensors.doubles(pose, 1, J, 3), null, dId, null).vertices());
        double[][] rot = NaiveLbs.rodrigues(aa);
        for (int i = 0; i < vd; i++) {
            double[] want = NaiveLbs.add(NaiveLbs.apply(rot, NaiveLbs.sub(new double[] {v0[i * 3], v0[i * 3 + 1], v0[i * 3 + 2]}, root)), root);
            for (int c = 0; c < 3; c++) assertThat(v1[i * 3 + c]).isCloseTo(want[c], within(1e-7));
        }
    }

    @Test
    void gradientsReachBothOffsetFieldsAndMatchFiniteDifferences() {
        DenseHead head = new DenseHead(model, HeadSubset.all(model), 1, ScalarType.Double);
        int vd = head.numVertices();
        Tensor betas = randn(1, T, S), expr = randn(1, T, E), pose = randn(0.4, T, J, 3);
        Tensor probe = randn(1, T, vd, 3);
        Tensor dId = randn(0.01, vd, 3).set_requires_grad(true);
        Tensor dExp = randn(0.01, T, vd, 3).set_requires_grad(true);
        head.pose(betas, expr, pose, null, dId, dExp).vertices().mul(probe).sum().backward();
        double[] gId = Tensors.toDoubles(dId.grad()), gExp = Tensors.toDoubles(dExp.grad());
        double[] id = Tensors.toDoubles(dId), exp = Tensors.toDoubles(dExp);
        double h = 1e-6;
        for (int i = 0; i < 12; i++) {
            int idx = r.nextInt(id.length);
            double[] up = id.clone(), down = id.clone();
            up[idx] += h;
            down[idx] -= h;
            double numeric = (value(head, betas, expr, pose, probe, up, exp) - value(head, betas, expr, pose, probe, down, exp)) / (2 * h);
            assertThat(gId[idx]).isCloseTo(numeric, within(1e-6));
            int e = r.nextInt(exp.length);
            double[] eu = exp.clone(), ed = exp.clone();
            eu[e] += h;
            ed[e] -= h;
            double numericE = (value(head, betas, expr, pose, probe, id, eu) - value(head, betas, expr, pose, probe, id, ed)) / (2 * h);
            assertThat(gExp[e]).isCloseTo(numericE, within(1e-6));
        }
    }

    private static double value(DenseHead head, Tensor betas, Tensor expr, Tensor pose, Tensor probe, double[] id, double[] exp) {
        int vd = head.numVertices();
        return head.pose(betas, expr, pose, null, Tensors.doubles(id, vd, 3), Tensors.doubles(exp, T, vd, 3))
                .vertices().mul(probe).sum().item_double();
    }

    @Test
    void denseLandmarksSitWhereTheCoarseLandmarksAre() {
        DenseHead head = new DenseHead(model, HeadSubset.all(model), 2, ScalarType.Double);
        Tensor betas = randn(1, 1, S);
        double[] dense = Tensors.toDoubles(head.landmarks().evaluate(head.neutral(betas)));
        Tensor coarse = HeadTensors.of(model, ScalarType.Double).vTemplate().unsqueeze(0)
                .add(HeadTensors.of(model, ScalarType.Double).blend(HeadTensors.of(model, ScalarType.Double).shapedirs(), betas, null));
        double[] want = Tensors.toDoubles(SurfacePoints.landmarks(model).evaluate(coarse));
        assertThat(dense).hasSize(model.numLandmarks() * 3);
        for (int i = 0; i < want.length; i++) assertThat(dense[i]).isCloseTo(want[i], within(1e-6));
    }

    @Test
    void denseUvsFollowTheSubdivisionOfTheFaces() {
        // UVs equal to the template's (x, y), with the UV topology equal to the mesh's.
        float[] uv = new float[V * 2];
        for (int i = 0; i < V; i++) {
            uv[i * 2] = model.vTemplate()[i * 3];
            uv[i * 2 + 1] = model.vTemplate()[i * 3 + 1];
        }
        HeadModel m = new HeadModel("uv", model.vTemplate(), model.faces(), model.shapedirs(), S, E, model.posedirs(),
                model.jRegressor(), model.weights(), model.parents(), model.lmkFaces(), model.lmkBary(), model.jointNames(),
                model.shapeNames(), model.expressionNames(), null, null, uv, model.faces().clone());
        DenseHead head = new DenseHead(m, HeadSubset.all(m), 2, ScalarType.Double);
        DenseHead.Uvs uvs = head.denseUvs();
        assertThat(uvs.uvFaces()).containsExactly(head.faces());
        double[] dense = Tensors.toDoubles(head.neutral(Tensors.zeros(ScalarType.Double, 1, S)));
        for (int i = 0; i < head.numVertices(); i++) {
            assertThat((double) uvs.uvs()[i * 2]).isCloseTo(dense[i * 3], within(1e-6));
            assertThat((double) uvs.uvs()[i * 2 + 1]).isCloseTo(dense[i * 3 + 1], within(1e-6));
        }
    }

    @Test
    void aVertexSubsetPosesExactlyAsTheWholeDenseMesh() {
        DenseHead head = new DenseHead(model, HeadSubset.all(model), 2, ScalarType.Double);
        int vd = head.numVertices();
        int[] ids = {0, 5, vd - 1, vd / 2, 37, 5};
        Tensor betas = randn(1, T, S), expr = randn(1, T, E), pose = randn(0.4, T, J, 3), transl = randn(0.1, T, 3);
        Tensor dId = randn(0.05, vd, 3), dExp = randn(0.05, T, vd, 3);
        double[] whole = Tensors.toDoubles(head.pose(betas, expr, pose, transl, dId, dExp).vertices());
        Tensor idx = Tensors.longs(ids, ids.length);
        double[] part = Tensors.toDoubles(head.vertices(ids).pose(betas, expr, pose, transl,
                org.bytedeco.pytorch.global.torch.index_select(dId, 0, idx),
                org.bytedeco.pytorch.global.torch.index_select(dExp, 1, idx)).vertices());
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < ids.length; i++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(part[(t * ids.length + i) * 3 + c]).isCloseTo(whole[(t * vd + ids[i]) * 3 + c], within(1e-10));
                }
            }
        }
    }
}
