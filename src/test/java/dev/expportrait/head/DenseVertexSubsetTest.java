package dev.expportrait.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

class DenseVertexSubsetTest {
    private static final int V = 14, J = 5, S = 3, E = 4, T = 3;
    private final HeadModel model = TinyModels.random(21, V, J, S, E, true);
    private final Random r = new Random(22);

    private Tensor randn(double scale, long... shape) {
        int n = 1;
        for (long s : shape) n *= (int) s;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextGaussian() * scale;
        return Tensors.doubles(x, shape);
    }

    @Test
    void posesTheChosenVerticesExactlyAsTheWholeDenseMesh() {
        DenseHead head = new DenseHead(model, HeadSubset.all(model), 2, ScalarType.Double);
        int vd = head.numVertices();
        int[] ids = {0, 5, vd - 1, vd / 2, 37, 5};
        Tensor betas = randn(1, T, S), expr = randn(1, T, E), pose = randn(0.4, T, J, 3), transl = randn(0.1, T, 3);
        Tensor dId = randn(0.05, vd, 3), dExp = randn(0.05, T, vd, 3);
        double[] whole = Tensors.toDoubles(head.pose(betas, expr, pose, transl, dId, dExp).vertices());
        Tensor idx = Tensors.longs(ids, ids.length);
        double[] part = Tensors.toDoubles(head.vertices(ids).pose(betas, expr, pose, transl,
                torch.index_select(dId, 0, idx), torch.index_select(dExp, 1, idx)).vertices());
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < ids.length; i++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(part[(t * ids.length + i) * 3 + c]).isCloseTo(whole[(t * vd + ids[i]) * 3 + c], within(1e-10));
                }
            }
        }
    }
}
