package dev.expportrait.fit;

import dev.expportrait.head.DenseHead;
import dev.expportrait.io.InputException;
import dev.expportrait.synth.ClipTruth;
import java.nio.file.Path;
import java.util.Map;

/**
 * A synthetic clip's exact ground truth as a PersonalHead: what a perfect fit would return (its shape,
 * expression, pose, camera and both detail fields), for training on ground truth, for benchmarks and for
 * the demo. Its source names the clip with "(ground truth)".
 */
public final class GroundTruthHead {
    private GroundTruthHead() {}

    /** The ground truth of {@code clipDir} on {@code head}, which must be the clip's model and level (InputException otherwise). */
    public static PersonalHead of(Path clipDir, DenseHead head) {
        ClipTruth truth = ClipTruth.read(clipDir);
        Observations obs = ClipObservations.read(clipDir, head.model().numLandmarks(), false);
        int t = truth.frames(), vd = head.numVertices();
        if (truth.identityOffsets().length != vd * 3) {
            throw new InputException(clipDir + ": the clip's ground truth has " + truth.identityOffsets().length / 3 + " dense vertices, model "
                    + head.model().name() + " at level " + head.upsampler().levels() + " has " + vd);
        }
        if (obs.rotation() == null || obs.cameraTranslation() == null) {
            throw new InputException(clipDir + ": clip.safetensors has no camera (rotation, cameraTranslation)");
        }
        var m = head.model();
        try {
            return new PersonalHead(m.name(), head.upsampler().levels(), obs.fps(), clipDir + " (ground truth)", obs.width(), obs.height(),
                    m.numShape(), truth.expression().length / t, truth.pose().length / t / 3, truth.betas(), truth.expression(), truth.pose(),
                    truth.translation(), obs.intrinsics(), obs.rotation(), obs.cameraTranslation(), truth.identityOffsets(),
                    truth.faceVertices(), truth.expressionOffsets(), Map.of());
        } catch (IllegalArgumentException e) {
            throw new InputException(clipDir + ": " + e.getMessage(), e);
        }
    }
}
