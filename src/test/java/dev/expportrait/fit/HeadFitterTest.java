package dev.expportrait.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.MeshNormals;
import dev.expportrait.head.Regions;
import dev.expportrait.synth.ClipTruth;
import dev.expportrait.synth.ClipWriter;
import dev.expportrait.synth.Degradation;
import dev.expportrait.synth.HairStyle;
import dev.expportrait.synth.Identities;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.global.torch.ScalarType;
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

    @Test
    void theHairPriorMeasuredFromTheSilhouetteIsAboutTheHairsThickness() {
        // The prior alone: one detail pass at zero rates leaves D_id at its starting value on the scalp.
        FitConfig priorOnly = CONFIG.withDetails(FitConfig.with(CONFIG.details(), Map.of("epochs", 1, "estimateHair", true,
                "identityBasis", 0, "identityLearningRate", 0, "expressionLearningRate", 0, "coarseLearningRate", 0, "shapeLearningRate", 0)));
        for (long seed : new long[] {hairSeed(HairStyle.LONG), hairSeed(HairStyle.BALD)}) {
            Path dir = root.resolve("hair" + seed + "/clip00");
            new ClipWriter(PersonalHeadTest.HEAD, Degradation.DEFAULT).write(dir, root, Identities.sample(seed, PersonalHeadTest.MODEL),
                    seed * 100, T, 25, 128, Map.of("command", "test"));
            HeadFitter.Result r = new HeadFitter(PersonalHeadTest.HEAD, priorOnly).fit(
                    ClipObservations.read(dir, PersonalHeadTest.MODEL.numLandmarks(), true), null);
            double estimate = meanScalpOffset(r.head().identityOffsets()), exact = meanScalpOffset(ClipTruth.read(dir).identityOffsets());
            // Within 30% + 1.5 mm here (level 0, 128 px, where the scale calibrated at level 1, 256 px runs about a
            // quarter low; 1-2 mm there, BENCHMARKS), where the fixed 4 mm prior is 9.5 mm off for the long hair
            // and 4 mm for the bald head.
            assertThat(estimate).as("seed %d: estimate %.2f mm, truth %.2f mm", seed, estimate * 1e3, exact * 1e3)
                    .isCloseTo(exact, within(0.3 * exact + 1.5e-3));
        }
    }

    @Test
    void theDetailStagesSmoothnessTermSmoothsThePoseOverTime() {
        FitConfig rough = CONFIG.withDetails(FitConfig.with(CONFIG.details(), Map.of("smoothness", 0)));
        FitConfig smooth = CONFIG.withDetails(FitConfig.with(CONFIG.details(), Map.of("smoothness", 500)));
        HeadFitter.Result r = new HeadFitter(PersonalHeadTest.HEAD, rough).fit(observations, null);
        HeadFitter.Result s = new HeadFitter(PersonalHeadTest.HEAD, smooth).fit(observations, null);
        assertThat(s.curves()).containsKey("details/smoothness");
        assertThat(r.curves()).doesNotContainKey("details/smoothness");
        double roughness = secondDifferences(r.head().pose()), smoothed = secondDifferences(s.head().pose());
        assertThat(smoothed).as("sum of squared second differences of the joint rotations, rad^2").isLessThan(0.5 * roughness);
    }

    /** Sum over joints and frames of the squared second difference of the pose [T, J, 3] in time. */
    private static double secondDifferences(float[] pose) {
        int n = pose.length / T;
        double sum = 0;
        for (int t = 1; t + 1 < T; t++) {
            for (int i = 0; i < n; i++) {
                double d = pose[(t + 1) * n + i] - 2 * pose[t * n + i] + pose[(t - 1) * n + i];
                sum += d * d;
            }
        }
        return sum;
    }

    @Test
    void theShapeReexpressionLeavesTheSurfaceAndTakesTheShapeSpacesPartOutOfDid() {
        // Hair not estimated: the head counts as haired, so D_id is re-expressed once, after the last step, and
        // until then both fits run the same steps.
        Map<String, Object> quick = Map.of("epochs", 2, "estimateHair", false);
        PersonalHead kept = new HeadFitter(PersonalHeadTest.HEAD, CONFIG.withDetails(FitConfig.with(CONFIG.details(),
                merged(quick, Map.of("shapeReexpression", false))))).fit(observations, null).head();
        PersonalHead moved = new HeadFitter(PersonalHeadTest.HEAD, CONFIG.withDetails(FitConfig.with(CONFIG.details(),
                merged(quick, Map.of("shapeReexpression", true))))).fit(observations, null).head();
        DenseHead head = PersonalHeadTest.HEAD;
        int k = head.model().numShape(), vd = head.numVertices();
        float[] before, after;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            before = Tensors.toFloats(head.neutral(Tensors.floats(kept.betas(), 1, k)).squeeze(0).add(Tensors.floats(kept.identityOffsets(), vd, 3)));
            after = Tensors.toFloats(head.neutral(Tensors.floats(moved.betas(), 1, k)).squeeze(0).add(Tensors.floats(moved.identityOffsets(), vd, 3)));
        }
        for (int i = 0; i < before.length; i++) assertThat(after[i]).as("canonical coordinate %d", i).isCloseTo(before[i], within(1e-5f));
        assertThat(moved.betas()).isNotEqualTo(kept.betas());
        try (ShapeReexpression re = ShapeReexpression.of(head, HeadFitter.reexpressionWeights(head.regions(), 0))) {
            double[] left = re.coefficients(Tensors.floats(moved.identityOffsets(), vd, 3));
            double[] had = re.coefficients(Tensors.floats(kept.identityOffsets(), vd, 3));
            double leftNorm = 0, hadNorm = 0;
            for (int i = 0; i < k; i++) {
                leftNorm += left[i] * left[i];
                hadNorm += had[i] * had[i];
            }
            assertThat(Math.sqrt(hadNorm)).as("shape-space part of D_id without the re-expression").isGreaterThan(1e-3);
            assertThat(Math.sqrt(leftNorm)).as("what is left with it").isLessThan(1e-3 * Math.sqrt(hadNorm));
        }
    }

    private static Map<String, Object> merged(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new java.util.HashMap<>(a);
        m.putAll(b);
        return m;
    }

    /** The first identity seed from 1 with the given hair style. */
    private static long hairSeed(HairStyle style) {
        long seed = 1;
        while (Identities.sample(seed, PersonalHeadTest.MODEL).hairStyle() != style) seed++;
        return seed;
    }

    /** The mean of D_id along the neutral template's normals over the scalp, metres. */
    private static double meanScalpOffset(float[] identityOffsets) {
        DenseHead head = PersonalHeadTest.HEAD;
        float[] neutral;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            neutral = Tensors.toFloats(head.neutral(Tensors.zeros(ScalarType.Float, 1, head.model().numShape())));
        }
        float[] n = MeshNormals.vertexNormals(neutral, head.faces());
        int[] regions = head.regions();
        double sum = 0;
        int count = 0;
        for (int v = 0; v < regions.length; v++) {
            if (regions[v] != Regions.SCALP) continue;
            sum += identityOffsets[v * 3] * n[v * 3] + identityOffsets[v * 3 + 1] * n[v * 3 + 1] + identityOffsets[v * 3 + 2] * n[v * 3 + 2];
            count++;
        }
        return sum / count;
    }
}
