package dev.expportrait.head;

import dev.expportrait.io.InputException;
import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A {@link HeadModel}, or its head subset, as libtorch tensors of one floating type, ready for {@link Lbs}.
 *
 * <p>Joint regression is linear, so regressing the shaped mesh equals regressing the template and the
 * blend directions separately: J(beta, psi) = J_reg v_T + sum_k c_k (J_reg d_k). We fold the regressor
 * into {@code jointTemplate} and {@code jointDirs} once, over the FULL model, which lets a vertex subset
 * (whose regressor would miss body vertices) pose with exactly the joints of the full model.
 *
 * @param vTemplate [V, 3]
 * @param shapedirs [V, 3, S + E]
 * @param posedirs [P, 3 V] (transposed from the file's [V, 3, P] as smplx does), or null when P = 0
 * @param jointTemplate [J, 3] rest joints of the template
 * @param jointDirs [J, 3, S + E] joint motion per blend direction
 * @param weights [V, J]
 * @param parents [J]
 */
public record HeadTensors(
        Tensor vTemplate,
        Tensor shapedirs,
        Tensor posedirs,
        Tensor jointTemplate,
        Tensor jointDirs,
        Tensor weights,
        int[] parents,
        int numShape,
        int numExpression) {

    /** The whole model. */
    public static HeadTensors of(HeadModel m, ScalarType type) {
        return of(m, HeadSubset.all(m), type);
    }

    /** The vertices of {@code subset}, with joints from the whole model. */
    public static HeadTensors of(HeadModel m, HeadSubset subset, ScalarType type) {
        int v = m.numVertices();
        int vs = subset.numVertices();
        int j = m.numJoints();
        int k = m.numShape() + m.numExpression();
        int p = m.numPoseBasis();
        Tensor regressor = Tensors.floats(m.jRegressor(), j, v).to(ScalarType.Double);
        Tensor jointTemplate = Lbs.regressJoints(regressor, Tensors.floats(m.vTemplate(), v, 3).to(ScalarType.Double));
        Tensor jointDirs = Lbs.regressJoints(regressor, Tensors.floats(m.shapedirs(), v, 3 * k).to(ScalarType.Double)).reshape(j, 3, k);
        Tensor posedirs = p == 0 ? null
                : Tensors.of(subset.gather(m.posedirs(), 3 * p), type, vs * 3L, p).t().contiguous();
        return new HeadTensors(
                Tensors.of(subset.gather(m.vTemplate(), 3), type, vs, 3),
                Tensors.of(subset.gather(m.shapedirs(), 3 * k), type, vs, 3, k),
                posedirs,
                jointTemplate.to(type),
                jointDirs.to(type),
                Tensors.of(subset.gather(m.weights(), j), type, vs, j),
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

    /** The first {@code count} shape directions of {@code dirs} ([N, 3, S + E]): [N, 3, count]. */
    public Tensor shapeDirs(Tensor dirs, long count) {
        if (count > numShape) {
            throw new InputException("model has " + numShape + " shape directions, got " + count + " shape coefficients");
        }
        return dirs.narrow(2, 0, count);
    }

    /** The first {@code count} expression directions of {@code dirs}: [N, 3, count]. */
    public Tensor expressionDirs(Tensor dirs, long count) {
        if (count > numExpression) {
            throw new InputException(
                    "model has " + numExpression + " expression directions, got " + count + " expression coefficients");
        }
        return dirs.narrow(2, numShape, count);
    }

    /**
     * Blend-shape offsets of shape and expression: B_S(beta) + B_E(psi) on {@code dirs}.
     *
     * @param dirs [N, 3, S + E], {@link #shapedirs} or {@link #jointDirs}
     * @param betas [T, S'] with S' &lt;= S
     * @param expression [T, E'] with E' &lt;= E, or null
     * @return [T, N, 3]
     */
    public Tensor blend(Tensor dirs, Tensor betas, Tensor expression) {
        Tensor out = Lbs.blendShapes(betas, shapeDirs(dirs, betas.size(1)));
        if (expression != null && expression.size(1) > 0) {
            out = out.add(Lbs.blendShapes(expression, expressionDirs(dirs, expression.size(1))));
        }
        return out;
    }

    /** Rest joints of the shaped, expressive mesh: [T, J, 3]. */
    public Tensor restJoints(Tensor betas, Tensor expression) {
        return jointTemplate.unsqueeze(0).add(blend(jointDirs, betas, expression));
    }
}
