package dev.expportrait.synth;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;

/**
 * A driving motion of T frames for a head model with E expression directions and J joints.
 *
 * @param fps frames per second
 * @param expression [T, E] expression coefficients, in [0, 1] for ARKit-style directions
 * @param pose [T, J, 3] axis-angle per joint, radians
 * @param translation [T, 3] metres
 */
public record Motion(double fps, float[] expression, float[] pose, float[] translation) {

    public int frames() {
        return translation.length / 3;
    }

    public int numExpression() {
        return expression.length / frames();
    }

    public int numJoints() {
        return pose.length / (3 * frames());
    }

    /** Frame {@code t}'s expression coefficients [E] (a copy). */
    public float[] expressionAt(int t) {
        int e = numExpression();
        float[] out = new float[e];
        System.arraycopy(expression, t * e, out, 0, e);
        return out;
    }

    /** Frame {@code t}'s axis-angle [3] of joint {@code joint} (a copy). */
    public float[] jointAt(int t, int joint) {
        float[] out = new float[3];
        System.arraycopy(pose, (t * numJoints() + joint) * 3, out, 0, 3);
        return out;
    }

    /** [T, E] float tensor, for {@code DenseHead.pose}. */
    public Tensor expressionTensor() {
        return Tensors.floats(expression.clone(), frames(), numExpression());
    }

    /** [T, J, 3] float tensor, for {@code DenseHead.pose}. */
    public Tensor poseTensor() {
        return Tensors.floats(pose.clone(), frames(), numJoints(), 3);
    }

    /** [T, 3] float tensor, for {@code DenseHead.pose}. */
    public Tensor translationTensor() {
        return Tensors.floats(translation.clone(), frames(), 3);
    }
}
