package dev.expportrait.transfer;

import dev.expportrait.fit.PersonalHead;
import dev.expportrait.head.Joints;
import dev.expportrait.io.InputException;

/**
 * What the transfer module learns from one head (a fitted PersonalHead or a synthetic clip's ground truth):
 * its neutral geometry (shape and the identity offsets D_id), its driving signals (expression coefficients
 * and jaw pose per frame, Eq. 8) and the expression offsets D_exp,t to predict (Eq. 9). T frames, E
 * expression coefficients, Vd dense vertices, Nf face vertices; arrays row-major.
 *
 * @param name where it came from, for messages
 * @param betas [S] shape coefficients
 * @param expression [T, E] expression coefficients psi_t
 * @param jaw [T, 3] jaw axis-angle, radians
 * @param identityOffsets D_id [Vd, 3] metres
 * @param faceVertices [Nf] dense vertex ids where D_exp lives
 * @param expressionOffsets D_exp,t [T, Nf, 3] metres
 */
public record TransferSample(String name, int numExpression, float[] betas, float[] expression, float[] jaw,
                             float[] identityOffsets, int[] faceVertices, float[] expressionOffsets) {

    public TransferSample {
        int t = jaw.length / 3;
        if (t < 1 || jaw.length != 3 * t || expression.length != t * numExpression
                || expressionOffsets.length != t * faceVertices.length * 3 || identityOffsets.length % 3 != 0) {
            throw new IllegalArgumentException(name + ": inconsistent shapes (T " + t + ", E " + numExpression + ", Nf "
                    + faceVertices.length + ", Vd " + identityOffsets.length / 3 + ")");
        }
    }

    public int frames() {
        return jaw.length / 3;
    }

    /** The driving signals of Eq. 8, expression then jaw per frame: [T, E + 3]. */
    public float[] drivers() {
        return drivers(expression, jaw, numExpression);
    }

    /** Expression [T, E] and jaw [T, 3] side by side: [T, E + 3]. */
    static float[] drivers(float[] expression, float[] jaw, int numExpression) {
        int t = jaw.length / 3, d = numExpression + 3;
        float[] out = new float[t * d];
        for (int f = 0; f < t; f++) {
            System.arraycopy(expression, f * numExpression, out, f * d, numExpression);
            System.arraycopy(jaw, f * 3, out, f * d + numExpression, 3);
        }
        return out;
    }

    /** The jaw rows [T, 3] of a pose [T, J, 3]. */
    static float[] jawOf(float[] pose, int numJoints, String source) {
        if (numJoints <= Joints.JAW) {
            throw new InputException(source + ": the model has " + numJoints + " joints, no SMPL-X jaw joint (" + Joints.JAW + ")");
        }
        int t = pose.length / (numJoints * 3);
        float[] jaw = new float[t * 3];
        for (int f = 0; f < t; f++) System.arraycopy(pose, (f * numJoints + Joints.JAW) * 3, jaw, f * 3, 3);
        return jaw;
    }

    /** The sample of a PersonalHead (fitted, or made from ground truth). */
    public static TransferSample of(PersonalHead head) {
        return new TransferSample(head.source(), head.numExpression(), head.betas(), head.expression(),
                jawOf(head.pose(), head.numJoints(), head.source()), head.identityOffsets(), head.faceVertices(), head.expressionOffsets());
    }
}
