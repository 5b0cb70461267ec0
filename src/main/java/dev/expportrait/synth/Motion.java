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
 * @param cameraJitter [T, 2] small camera rotations (about the camera's y, then x axis), radians: they move the
 *     image by about (fx, fy) times these pixels, which a renderer applies as a principal-point shift
 */
public record Motion(double fps, float[] expression, float[] pose, float[] translation, float[] cameraJitter) {

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

    /** Principal-point shifts [T, 2] in pixels for a camera with focal lengths fx, fy: (fx jx, fy jy) per frame. */
    public float[] principalShift(double fx, double fy) {
        float[] out = new float[cameraJitter.length];
        for (int t = 0; t < out.length / 2; t++) {
            out[2 * t] = (float) (fx * cameraJitter[2 * t]);
            out[2 * t + 1] = (float) (fy * cameraJitter[2 * t + 1]);
        }
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
