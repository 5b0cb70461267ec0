package dev.expportrait.transfer;

import dev.expportrait.fit.PersonalHead;
import dev.expportrait.head.DenseHead;
import dev.expportrait.head.Joints;
import dev.expportrait.head.PinholeCamera;
import dev.expportrait.head.Regions;
import dev.expportrait.synth.ExpressionField;
import dev.expportrait.synth.Identity;
import dev.expportrait.synth.IdentityField;
import dev.expportrait.synth.Motion;
import dev.expportrait.synth.Motions;
import dev.expportrait.synth.NeutralMesh;
import java.util.Map;

/**
 * Ground truth straight from the synthetic world, without rendering: an identity's shape and identity
 * offsets, a motion's expression, jaw and pose, and the identity's own expression offsets for that motion.
 * For tests, benchmarks and the demo (the command trains on clip folders, {@link TrainingHeads}); the
 * reference identity performing a driver's motion is the exact target of cross-identity transfer.
 */
public final class SyntheticSamples {
    private SyntheticSamples() {}

    /** {@code identity} performing the motion of {@code motionSeed} for {@code frames} frames at 25 fps. */
    public static TransferSample of(DenseHead head, Identity identity, long motionSeed, int frames) {
        Motion motion = Motions.sample(motionSeed, head.model(), frames, 25);
        return of(head, identity, motion, "synthetic identity " + identity.seed() + " (age " + Math.round(identity.age()) + "), motion " + motionSeed);
    }

    /** {@code identity} performing {@code motion} (another identity's, for cross-identity ground truth). */
    public static TransferSample of(DenseHead head, Identity identity, Motion motion, String name) {
        NeutralMesh neutral = NeutralMesh.of(identity, head);
        int[] face = Regions.faceVertices(head.regions());
        return new TransferSample(name, head.model().numExpression(), identity.betas(), motion.expression().clone(), jaw(motion),
                IdentityField.evaluate(identity, neutral), face, faceOffsets(head, identity, neutral, motion, face));
    }

    /** The same as a PersonalHead seen through {@code camera} in every frame, with the motion's pose and translation. */
    public static PersonalHead head(DenseHead head, Identity identity, Motion motion, PinholeCamera camera, String name) {
        TransferSample s = of(head, identity, motion, name);
        int t = motion.frames();
        float[] intrinsics = new float[t * 4];
        for (int f = 0; f < t; f++) {
            intrinsics[f * 4] = (float) camera.fx();
            intrinsics[f * 4 + 1] = (float) camera.fy();
            intrinsics[f * 4 + 2] = (float) camera.cx();
            intrinsics[f * 4 + 3] = (float) camera.cy();
        }
        var m = head.model();
        return new PersonalHead(m.name(), head.upsampler().levels(), motion.fps(), name + " (ground truth)", camera.width(), camera.height(),
                m.numShape(), m.numExpression(), m.numJoints(), s.betas(), s.expression(), motion.pose().clone(), motion.translation().clone(),
                intrinsics, camera.rotation(), camera.translation(), s.identityOffsets(), s.faceVertices(), s.expressionOffsets(), Map.of());
    }

    private static float[] jaw(Motion motion) {
        float[] jaw = new float[motion.frames() * 3];
        for (int f = 0; f < motion.frames(); f++) System.arraycopy(motion.jointAt(f, Joints.JAW), 0, jaw, f * 3, 3);
        return jaw;
    }

    /** The identity's D_exp,t for the motion on the face vertices: [T, Nf, 3]. */
    private static float[] faceOffsets(DenseHead head, Identity identity, NeutralMesh neutral, Motion motion, int[] face) {
        ExpressionField field = ExpressionField.of(identity, neutral, head.model());
        int t = motion.frames(), nf = face.length;
        float[] offsets = new float[t * nf * 3];
        for (int f = 0; f < t; f++) {
            float[] d = field.evaluate(motion.expressionAt(f), motion.jointAt(f, Joints.JAW));
            for (int i = 0; i < nf; i++) System.arraycopy(d, face[i] * 3, offsets, (f * nf + i) * 3, 3);
        }
        return offsets;
    }
}
