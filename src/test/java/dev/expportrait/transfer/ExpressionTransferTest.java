package dev.expportrait.transfer;

import static dev.expportrait.transfer.TransferFixture.FEATURES;
import static dev.expportrait.transfer.TransferFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.fit.PersonalHead;
import dev.expportrait.head.Joints;
import dev.expportrait.io.InputException;
import dev.expportrait.transfer.ExpressionTransfer.Method;
import dev.expportrait.transfer.ExpressionTransfer.PoseMode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionTransferTest {
    /** A PersonalHead of a sample: its jaw in the pose, the head joint turned by {@code headYaw[t]}, a simple camera. */
    static PersonalHead head(TransferSample s, float[] headYaw, float x0) {
        int t = s.frames(), j = MODEL.numJoints();
        float[] pose = new float[t * j * 3], translation = new float[t * 3], intrinsics = new float[t * 4];
        for (int f = 0; f < t; f++) {
            System.arraycopy(s.jaw(), f * 3, pose, (f * j + Joints.JAW) * 3, 3);
            pose[(f * j + Joints.HEAD) * 3 + 1] = headYaw[f];
            translation[f * 3] = x0 + 0.001f * f;
            intrinsics[f * 4] = 180;
            intrinsics[f * 4 + 1] = 180;
            intrinsics[f * 4 + 2] = 32 + f;
            intrinsics[f * 4 + 3] = 32;
        }
        return new PersonalHead(MODEL.name(), 0, 25, s.name(), 64, 64, MODEL.numShape(), MODEL.numExpression(), j, s.betas(), s.expression(),
                pose, translation, intrinsics, new double[] {1, 0, 0, 0, -1, 0, 0, 0, -1}, new double[] {0, 0, 0.8}, s.identityOffsets(),
                s.faceVertices(), s.expressionOffsets(), Map.of());
    }

    private static float[] yaw(int frames, float start, float step) {
        float[] y = new float[frames];
        for (int f = 0; f < frames; f++) y[f] = start + step * f;
        return y;
    }

    @Test
    void directTransferOntoTheDriverItselfReproducesTheDriver() {
        TransferSample s = TransferFixture.samples(40, 1, 6).get(0);
        PersonalHead d = head(s, yaw(6, 0.1f, 0.05f), 0.01f);
        PersonalHead out = ExpressionTransfer.apply(d, d, Method.DIRECT, PoseMode.ABSOLUTE, null, FEATURES);
        assertThat(out.expressionOffsets()).containsExactly(d.expressionOffsets());
        assertThat(out.expression()).containsExactly(d.expression());
        assertThat(out.pose()).containsExactly(d.pose());
        assertThat(out.translation()).containsExactly(d.translation());
        assertThat(out.identityOffsets()).isSameAs(d.identityOffsets());
        // The reference's first camera for every frame (its shake is not the driver's to carry).
        for (int f = 0; f < 6; f++) assertThat(out.intrinsics()[f * 4 + 2]).isEqualTo(32f);
    }

    @Test
    void relativePoseAddsTheDriversMotionSinceItsFirstFrameToTheReferencesFirstPose() {
        List<TransferSample> two = TransferFixture.samples(41, 2, 5);
        PersonalHead ref = head(two.get(0), yaw(5, 0.3f, 0), 0.02f);
        PersonalHead drv = head(two.get(1), yaw(5, -0.1f, 0.04f), -0.05f);
        PersonalHead out = ExpressionTransfer.apply(ref, drv, Method.DIRECT, PoseMode.RELATIVE, null, FEATURES);
        int j = MODEL.numJoints();
        for (int f = 0; f < 5; f++) {
            // Rotations about one axis commute: 0.3 + (-0.1 + 0.04 f) - (-0.1).
            assertThat(out.pose()[(f * j + Joints.HEAD) * 3 + 1]).isCloseTo(0.3f + 0.04f * f, within(1e-5f));
            assertThat(out.pose()[(f * j + Joints.HEAD) * 3]).isCloseTo(0f, within(1e-6f));
            // The jaw is expression: the driver's own.
            for (int c = 0; c < 3; c++) assertThat(out.pose()[(f * j + Joints.JAW) * 3 + c]).isEqualTo(drv.pose()[(f * j + Joints.JAW) * 3 + c]);
            assertThat(out.translation()[f * 3]).isCloseTo(0.02f + 0.001f * f, within(1e-6f));
        }
        assertThat(out.betas()).isSameAs(ref.betas());
        assertThat(out.expressionOffsets()).containsExactly(drv.expressionOffsets());
    }

    @Test
    void theModuleTrainedOnAnIdentityReproducesItsOwnOffsetsAndANeutralDriverGivesNone() {
        List<TransferSample> samples = TransferFixture.samples(60, 4, 24);
        TransferConfig cfg = TransferFixture.quick(200).withValidation(0);
        TransferModel model = new TransferTrainer(FEATURES, cfg).train(samples, null, Map.of(), new PrintStream(OutputStream.nullOutputStream())).model();
        TransferSample s = samples.get(0);
        PersonalHead self = head(s, yaw(24, 0, 0), 0);
        PersonalHead out = ExpressionTransfer.apply(self, self, Method.MODULE, PoseMode.ABSOLUTE, model, FEATURES);
        double err = 0, energy = 0;
        for (int i = 0; i < s.expressionOffsets().length; i++) {
            double d = out.expressionOffsets()[i] - s.expressionOffsets()[i];
            err += d * d;
            energy += s.expressionOffsets()[i] * s.expressionOffsets()[i];
        }
        assertThat(energy).isPositive();
        assertThat(err / energy).as("squared error over the offsets' energy").isLessThan(0.3);

        // A driver at rest everywhere: exactly no expression offsets (measured from the neutral code).
        float[] still = new float[s.drivers().length];
        float[] none = model.predict(FEATURES.of(s.betas(), s.identityOffsets(), s.faceVertices()), still);
        for (float v : none) assertThat(Math.abs(v)).isLessThan(1e-9f); // a nanometre: the two codes come from differently shaped matmuls
    }

    @Test
    void mismatchedHeadsAreRefused() {
        TransferSample s = TransferFixture.samples(42, 1, 3).get(0);
        PersonalHead d = head(s, yaw(3, 0, 0), 0);
        TransferModel other = new TransferModel("someone-else", 0, TransferFixture.quick(1).sizes(), 1);
        assertThatThrownBy(() -> ExpressionTransfer.apply(d, d, Method.MODULE, PoseMode.RELATIVE, other, FEATURES))
                .isInstanceOf(InputException.class).hasMessageContaining("someone-else");
    }
}
