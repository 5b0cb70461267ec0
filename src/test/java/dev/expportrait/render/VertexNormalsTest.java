package dev.expportrait.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class VertexNormalsTest {
    @Test
    void normalsOfSymmetricClosedMeshesPointOutwardAlongThePosition() {
        for (TestMeshes.Mesh m : new TestMeshes.Mesh[] {TestMeshes.octahedron(), TestMeshes.icosphere(0)}) {
            int v = m.vertexCount();
            float[] shifted = TestMeshes.placed(m.vertices(), 0.3, 0.1, -0.2, 2);
            Tensor pos = Tensors.floats(shifted, 1, v, 3);
            double[] n = Tensors.toDoubles(VertexNormals.compute(pos, m.faces()));
            for (int i = 0; i < v; i++) {
                for (int k = 0; k < 3; k++) {
                    assertThat(n[3 * i + k]).isCloseTo(m.vertices()[3 * i + k], within(1e-5));
                }
            }
        }
    }

    @Test
    void gradientsMatchCentralFiniteDifferences() {
        Random rnd = new Random(5);
        int t = 2, v = 9;
        double[] p = new double[t * v * 3];
        for (int i = 0; i < p.length; i++) {
            p[i] = rnd.nextGaussian();
        }
        int[] faces = {0, 1, 2, 0, 2, 3, 1, 3, 4, 4, 5, 6, 2, 6, 7, 7, 8, 0, 3, 8, 5, 1, 6, 8};
        double[] weights = new double[p.length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = rnd.nextGaussian();
        }
        Tensor w = Tensors.doubles(weights, t, v, 3);
        Tensor pos = Tensors.doubles(p, t, v, 3);
        pos.set_requires_grad(true);
        VertexNormals.compute(pos, faces).mul(w).sum().backward();
        double[] grad = Tensors.toDoubles(pos.grad());
        double h = 1e-6;
        for (int i = 0; i < p.length; i++) {
            double[] plus = p.clone(), minus = p.clone();
            plus[i] += h;
            minus[i] -= h;
            double lp = VertexNormals.compute(Tensors.doubles(plus, t, v, 3), faces).mul(w).sum().item_double();
            double lm = VertexNormals.compute(Tensors.doubles(minus, t, v, 3), faces).mul(w).sum().item_double();
            assertThat(grad[i]).as("coordinate %d", i).isCloseTo((lp - lm) / (2 * h), within(1e-6 * (1 + Math.abs(grad[i]))));
        }
    }

    @Test
    void thePlainJavaPathWithoutGradientsGivesTheTensorPathsNormals() {
        TestMeshes.Mesh m = TestMeshes.icosphere(2);
        int v = m.vertexCount();
        Random rnd = new Random(8);
        float[] two = new float[2 * v * 3];
        for (int i = 0; i < two.length; i++) two[i] = m.vertices()[i % (v * 3)] * (1 + 0.2f * rnd.nextFloat());
        float[] plain = Tensors.toFloats(VertexNormals.compute(Tensors.floats(two, 2, v, 3), m.faces()));
        Tensor tracked = Tensors.floats(two, 2, v, 3).set_requires_grad(true);
        float[] viaTensors = Tensors.toFloats(VertexNormals.compute(tracked, m.faces()).detach());
        for (int i = 0; i < plain.length; i++) assertThat(plain[i]).isCloseTo(viaTensors[i], within(1e-5f));
    }
}
