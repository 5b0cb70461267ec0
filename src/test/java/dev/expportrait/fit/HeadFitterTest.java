package dev.expportrait.fit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expportrait.synth.ClipTruth;
import dev.expportrait.synth.ClipWriter;
import dev.expportrait.synth.Degradation;
import dev.expportrait.synth.Identities;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fit on a tiny synthetic clip (64 px, 4 frames, level 0), scored against its ground truth. */
class HeadFitterTest {
    static final int T = 4, SIZE = 64;
    static final FitConfig CONFIG = new FitConfig(0, 3,
            FitConfig.with(FitConfig.DEFAULT_TRACKING, Map.of("iterations", 150)),
            FitConfig.with(FitConfig.DEFAULT_DETAILS, Map.of("epochs", 8, "batchFrames", 4, "renderScale", 1)));

    @TempDir
    static Path root;
    static Path clip;
    static Observations observations;
    static ClipTruth truth;
    static HeadFitter.Result full;
    static FitErrors fullErrors;

    @BeforeAll
    static void fitTinyClip() {
        clip = root.resolve("id000/clip00");
        new ClipWriter(PersonalHeadTest.HEAD, Degradation.DEFAULT).write(clip, root, Identities.sample(11, PersonalHeadTest.MODEL),
                1101, T, 25, SIZE, Map.of("command", "test"));
        observations = ClipObservations.read(clip, PersonalHeadTest.MODEL.numLandmarks(), true);
        truth = ClipTruth.read(clip);
        full = new HeadFitter(PersonalHeadTest.HEAD, CONFIG).fit(observations, null);
        fullErrors = FitErrors.of(PersonalHeadTest.HEAD, full.head(), truth);
    }

    @Test
    void everyDataLossGoesDown() {
        // The detail curves start at the untracked starting point, so they show both stages' effect.
        for (String term : new String[] {"tracking/landmarks", "tracking/total", "details/landmarks", "details/normals", "details/depth",
                "details/mask"}) {
            double[] c = full.curves().get(term);
            assertThat(c).as(term).isNotNull();
            double first = c[0], last = c[c.length - 1];
            assertThat(last).as(term + " from " + first + " to " + last).isLessThan(first);
        }
    }

    @Test
    void theGroundTruthPoseIsRecoveredWithinAFewDegrees() {
        assertThat(fullErrors.headRotationError()).as("head rotation error, degrees").isLessThan(3);
        assertThat(fullErrors.jawError()).as("jaw rotation error, degrees").isLessThan(3);
        assertThat(fullErrors.landmarkError()).as("landmark error, px").isLessThan(1.5);
    }

    @Test
    void theFullFitBeatsTheBaseModelAloneOnTheVisibleVertices() {
        HeadFitter.Result base = new HeadFitter(PersonalHeadTest.HEAD, CONFIG.variant('a')).fit(observations, null);
        FitErrors baseErrors = FitErrors.of(PersonalHeadTest.HEAD, base.head(), truth);
        // Where D_id lives (hair, ears, clothing) the details must bring the surface closer, as bench/fit.sh shows.
        assertThat(fullErrors.visibleVertexError()).isLessThan(baseErrors.visibleVertexError());
        assertThat(full.head().identityOffsets()).isNotEqualTo(base.head().identityOffsets());
    }

    @Test
    void theHeadHasEveryFrameAndTheClipCamera() {
        PersonalHead h = full.head();
        assertThat(h.frames()).isEqualTo(T);
        assertThat(h.width()).isEqualTo(SIZE);
        assertThat(h.intrinsics()).containsExactly(observations.intrinsics());
        assertThat(h.losses()).containsKeys("details/normals", "tracking/landmarks");
    }

    @Test
    void withoutACameraTheFocalLengthIsFittedToo() {
        Observations o = observations;
        Observations noCamera = new Observations(o.source(), o.frames(), o.width(), o.height(), o.fps(), o.landmarks(), null, null, null,
                null, null, null, null);
        FitConfig trackingOnly = CONFIG.withDetails(FitConfig.with(CONFIG.details(), Map.of("epochs", 0)));
        HeadFitter.Result r = new HeadFitter(PersonalHeadTest.HEAD, trackingOnly).fit(noCamera, null);
        double[] landmarks = r.curves().get("tracking/landmarks");
        assertThat(landmarks[landmarks.length - 1]).isLessThan(0.3 * landmarks[0]);
        assertThat(FitErrors.of(PersonalHeadTest.HEAD, r.head(), truth).landmarkError()).as("px").isLessThan(2.0);
        assertThat(r.head().intrinsics()[0]).isNotEqualTo(o.intrinsics()[0]);
    }
}
