package dev.expportrait.transfer;

import dev.expportrait.fit.PersonalHead;
import dev.expportrait.head.Joints;
import dev.expportrait.head.Rodrigues;
import dev.expportrait.io.InputException;
import dev.expportrait.tensor.Tensors;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Cross-identity expression transfer (Sec. 3.2): the reference identity (its shape, D_id and camera)
 * performs a driver's frames (its expression coefficients, jaw and head pose), with expression offsets
 * from the module (G(M_neutral + D_id, E(psi, theta^jaw)), Eq. 8-9) or, for the paper's ablation (Fig. 8),
 * copied from the driver (direct transfer). The result is itself a PersonalHead, so it can be posed,
 * rendered and written like a fitted one.
 */
public final class ExpressionTransfer {
    private ExpressionTransfer() {}

    /** Where the expression offsets come from. */
    public enum Method {
        /** The identity-adaptive module, conditioned on the reference's neutral geometry. */
        MODULE,
        /** The driver's own D_exp,t, copied vertex for vertex (same topology): the ablation baseline. */
        DIRECT
    }

    /** How the driver's head pose is carried over. */
    public enum PoseMode {
        /** The driver's motion relative to its first frame, applied to the reference's first-frame pose and position. */
        RELATIVE,
        /** The driver's pose and translation as they are. */
        ABSOLUTE
    }

    /** Joints whose rotation is expression, not head pose: taken from the driver in both pose modes. */
    private static final int[] EXPRESSIVE = {Joints.JAW, Joints.LEFT_EYE, Joints.RIGHT_EYE};

    /**
     * @param model the trained module or ensemble (for {@link Method#MODULE}; ignored for DIRECT, may be null then)
     * @param features the neutral features of the reference's dense head
     */
    public static PersonalHead apply(PersonalHead reference, PersonalHead driver, Method method, PoseMode poseMode,
                                     TransferModule model, NeutralFeatures features) {
        check(reference, driver, method, model);
        int t = driver.frames(), j = reference.numJoints();
        float[] offsets = switch (method) {
            case DIRECT -> driver.expressionOffsets().clone();
            case MODULE -> model.predict(features.of(reference.betas(), reference.identityOffsets(), reference.faceVertices()),
                    TransferSample.of(driver).drivers());
        };
        float[] pose = poseMode == PoseMode.ABSOLUTE ? driver.pose().clone() : relativePose(reference, driver);
        float[] translation = new float[t * 3];
        for (int f = 0; f < t; f++) {
            for (int c = 0; c < 3; c++) {
                translation[f * 3 + c] = poseMode == PoseMode.ABSOLUTE ? driver.translation()[f * 3 + c]
                        : reference.translation()[c] + driver.translation()[f * 3 + c] - driver.translation()[c];
            }
        }
        float[] intrinsics = new float[t * 4];
        for (int f = 0; f < t; f++) System.arraycopy(reference.intrinsics(), 0, intrinsics, f * 4, 4);
        String source = String.format(Locale.ROOT, "%s driven by %s (%s transfer, %s pose)", reference.source(), driver.source(),
                method.name().toLowerCase(Locale.ROOT), poseMode.name().toLowerCase(Locale.ROOT));
        return new PersonalHead(reference.model(), reference.level(), driver.fps(), source, reference.width(), reference.height(),
                reference.numShape(), reference.numExpression(), j, reference.betas(), driver.expression().clone(), pose, translation,
                intrinsics, reference.rotation(), reference.cameraTranslation(), reference.identityOffsets(), reference.faceVertices(),
                offsets, Map.of());
    }

    private static void check(PersonalHead reference, PersonalHead driver, Method method, TransferModule model) {
        String r = reference.source(), d = driver.source();
        if (!reference.model().equals(driver.model()) || reference.denseVertices() != driver.denseVertices()) {
            throw new InputException("the driver " + d + " (model " + driver.model() + ", " + driver.denseVertices()
                    + " dense vertices) and the reference " + r + " (model " + reference.model() + ", " + reference.denseVertices()
                    + ") are not on the same dense mesh");
        }
        if (reference.numExpression() != driver.numExpression() || reference.numJoints() != driver.numJoints()) {
            throw new InputException("the driver " + d + " and the reference " + r + " have different expression or joint counts");
        }
        if (method == Method.DIRECT && !Arrays.equals(reference.faceVertices(), driver.faceVertices())) {
            throw new InputException("direct transfer needs the same face vertices in the driver " + d + " and the reference " + r);
        }
        if (method == Method.MODULE) {
            if (model == null) throw new IllegalArgumentException("module transfer needs a model");
            if (!model.headModel().equals(reference.model()) || model.level() != reference.level()
                    || model.numExpression() != reference.numExpression()) {
                throw new InputException("the transfer model was trained for model " + model.headModel() + " at level " + model.level()
                        + " with " + model.numExpression() + " expression coefficients; the reference " + r + " is model "
                        + reference.model() + " at level " + reference.level() + " with " + reference.numExpression());
            }
        }
    }

    /**
     * Per joint, R_ref,0 R_drv,0^T R_drv,t (the driver's rotation since its first frame, applied to the
     * reference's first frame); the jaw and eyes are the driver's own.
     */
    static float[] relativePose(PersonalHead reference, PersonalHead driver) {
        int t = driver.frames(), j = reference.numJoints();
        float[] out = new float[t * j * 3];
        double[] ref0, drv0;
        double[] all;
        try (NoGradGuard g = new NoGradGuard()) {
            all = Tensors.toDoubles(Rodrigues.toMatrix(Tensors.floats(driver.pose(), (long) t * j, 3).to(ScalarType.Double)));
            ref0 = Tensors.toDoubles(Rodrigues.toMatrix(Tensors.floats(Arrays.copyOf(reference.pose(), j * 3), j, 3).to(ScalarType.Double)));
        }
        drv0 = Arrays.copyOf(all, j * 9);
        for (int f = 0; f < t; f++) {
            for (int k = 0; k < j; k++) {
                int o = (f * j + k) * 3;
                if (expressive(k)) {
                    System.arraycopy(driver.pose(), o, out, o, 3);
                    continue;
                }
                double[] rel = multiply(multiply(slice(ref0, k), transpose(slice(drv0, k))), slice(all, f * j + k));
                double[] aa = Rodrigues.toAxisAngle(rel);
                for (int c = 0; c < 3; c++) out[o + c] = (float) aa[c];
            }
        }
        return out;
    }

    private static boolean expressive(int joint) {
        for (int e : EXPRESSIVE) if (e == joint) return true;
        return false;
    }

    private static double[] slice(double[] m, int k) {
        return Arrays.copyOfRange(m, k * 9, k * 9 + 9);
    }

    private static double[] transpose(double[] m) {
        return new double[] {m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]};
    }

    private static double[] multiply(double[] a, double[] b) {
        double[] c = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                double s = 0;
                for (int i = 0; i < 3; i++) s += a[r * 3 + i] * b[i * 3 + k];
                c[r * 3 + k] = s;
            }
        }
        return c;
    }
}
