package dev.expportrait.transfer;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.Joints;
import dev.expportrait.head.Regions;
import dev.expportrait.synth.ExpressionField;
import dev.expportrait.synth.Identity;
import dev.expportrait.synth.IdentityField;
import dev.expportrait.synth.Motion;
import dev.expportrait.synth.Motions;
import dev.expportrait.synth.NeutralMesh;

/**
 * Ground-truth transfer samples straight from the synthetic world, without rendering: an identity's shape
 * and identity offsets, a sampled motion's expression and jaw, and the identity's own expression offsets
 * for it. For tests and benchmarks (the command trains on clip folders, {@link TrainingHeads}).
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
        ExpressionField field = ExpressionField.of(identity, neutral, head.model());
        int t = motion.frames(), e = head.model().numExpression(), nf = face.length;
        float[] jaw = new float[t * 3], offsets = new float[t * nf * 3];
        for (int f = 0; f < t; f++) {
            float[] j = motion.jointAt(f, Joints.JAW);
            System.arraycopy(j, 0, jaw, f * 3, 3);
            float[] d = field.evaluate(motion.expressionAt(f), j);
            for (int i = 0; i < nf; i++) System.arraycopy(d, face[i] * 3, offsets, (f * nf + i) * 3, 3);
        }
        return new TransferSample(name, e, identity.betas(), motion.expression().clone(), jaw, IdentityField.evaluate(identity, neutral),
                face, offsets);
    }
}
