package dev.expportrait.transfer;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.head.builtin.BuiltinHead;
import dev.expportrait.synth.Identities;
import dev.expportrait.synth.Identity;
import dev.expportrait.synth.Motion;
import dev.expportrait.head.Joints;
import java.util.Random;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** The built-in head at level 0 (the subset itself: small and fast) and ground-truth samples on it. */
final class TransferFixture {
    private TransferFixture() {}

    static final HeadModel MODEL = BuiltinHead.generate();
    static final DenseHead HEAD = new DenseHead(MODEL, HeadSubset.select(MODEL), 0, ScalarType.Float);
    static final NeutralFeatures FEATURES = new NeutralFeatures(HEAD);

    /** Coefficient groups that drive the synthetic world's folds (forehead, frown, smile, pucker, puff). */
    private static final String[][] GROUPS = {
        {"browInnerUp", "browOuterUpLeft", "browOuterUpRight"}, {"browDownLeft", "browDownRight", "mouthFrownLeft", "mouthFrownRight"},
        {"mouthSmileLeft", "mouthSmileRight", "cheekSquintLeft", "cheekSquintRight"}, {"mouthPucker", "mouthFunnel"}, {"cheekPuff"}};

    /**
     * A motion that is expressive in every frame (unlike sampled motions, which rest between episodes): each
     * block of 3 frames holds one coefficient group at 0.4-1 and a random jaw opening; no head motion.
     */
    static Motion expressive(long seed, int frames) {
        Random r = new Random(seed);
        int e = MODEL.numExpression(), j = MODEL.numJoints();
        float[] expression = new float[frames * e], pose = new float[frames * j * 3];
        String[] group = GROUPS[0];
        float amplitude = 0, jaw = 0;
        for (int t = 0; t < frames; t++) {
            if (t % 3 == 0) {
                group = GROUPS[r.nextInt(GROUPS.length)];
                amplitude = 0.4f + 0.6f * r.nextFloat();
                jaw = 0.25f * r.nextFloat();
            }
            for (String name : group) expression[t * e + MODEL.expressionNames().indexOf(name)] = amplitude;
            pose[(t * j + Joints.JAW) * 3] = jaw;
        }
        return new Motion(25, expression, pose, new float[frames * 3], new float[frames * 2]);
    }

    /** {@code n} identities (seeds from {@code seed}), each performing its own expressive motion of {@code frames} frames. */
    static List<TransferSample> samples(long seed, int n, int frames) {
        List<TransferSample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Identity id = Identities.sample(seed + i, MODEL);
            out.add(SyntheticSamples.of(HEAD, id, expressive(seed * 31 + i, frames), "identity " + (seed + i)));
        }
        return out;
    }

    /** A small, quick config: {@code steps} steps of 4 frames x 256 vertices, a narrow network. */
    static TransferConfig quick(int steps) {
        return new TransferConfig(steps, 4, 256, 3e-3, 5, 0.25, Math.max(1, steps / 2), Math.max(1, steps / 2), 1, 0.02, 0.1, 0, 0, 0,
                new TransferModel.Sizes(MODEL.numExpression(), 8, 16, 3, 32, 2, 0));
    }
}
