package dev.expportrait.head;

import dev.expportrait.io.InputException;
import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A {@link HeadModel} as libtorch tensors of one floating type, ready for {@link Lbs}.
 *
 * @param vTemplate [V, 3]
 * @param shapedirs [V, 3, S + E]
 * @param posedirs [P, 3 V] (transposed from the file's [V, 3, P] as smplx does), or null when P = 0
 * @param jRegressor [J, V]
 * @param weights [V, J]
 * @param parents [J]
 */
public record HeadTensors(
        Tensor vTemplate,
        Tensor shapedirs,
        Tensor posedirs,
        Tensor jRegressor,
        Tensor weights,
        int[] parents,
        int numShape,
        int numExpression) {

    public static HeadTensors of(HeadModel m, ScalarType type) {
        int v = m.numVertices();
        int j = m.numJoints();
        int k = m.numShape() + m.numExpression();
        int p = m.numPoseBasis();
        Tensor posedirs = p == 0 ? null : Tensors.of(m.posedirs(), type, v * 3L, p).t().contiguous();
        return new HeadTensors(
                Tensors.of(m.vTemplate(), type, v, 3),
                Tensors.of(m.shapedirs(), type, v, 3, k),
                posedirs,
                Tensors.of(m.jRegressor(), type, j, v),
                Tensors.of(m.weights(), type, v, j),
                m.parents().clone(),
                m.numShape(),
                m.numExpression());
    }

    public int numPoseBasis() {
        return posedirs == null ? 0 : (int) posedirs.size(0);
    }

    public int numJoints() {
        return parents.length;
    }

    /** The first {@code count} shape directions, [V, 3, count]. */
    public Tensor shapeDirs(long count) {
        if (count > numShape) {
            throw new InputException("model has " + numShape + " shape directions, got " + count + " shape coefficients");
        }
        return shapedirs.narrow(2, 0, count);
    }

    /** The first {@code count} expression directions, [V, 3, count]. */
    public Tensor expressionDirs(long count) {
        if (count > numExpression) {
            throw new InputException(
                    "model has " + numExpression + " expression directions, got " + count + " expression coefficients");
        }
        return shapedirs.narrow(2, numShape, count);
    }
}
