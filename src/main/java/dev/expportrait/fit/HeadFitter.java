package dev.expportrait.fit;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.DenseVertexSubset;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.Joints;
import dev.expportrait.head.PinholeCamera;
import dev.expportrait.head.Regions;
import dev.expportrait.head.SurfacePoints;
import dev.expportrait.io.InputException;
import dev.expportrait.render.EdgeTopology;
import dev.expportrait.render.Framing;
import dev.expportrait.render.MapRenderer;
import dev.expportrait.render.VertexNormals;
import dev.expportrait.tensor.Tensors;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Fits the personalized head representation of Sec. 3.1 to one clip's observations, in two stages.
 * <ol>
 *   <li>Coarse tracking: shape shared by the clip, per-frame expression, global/neck/head/jaw rotations
 *       and translation (and the focal length when the camera is unknown), against the landmarks (Eq. 5)
 *       with the expression prior (Eq. 7) and temporal smoothness. Only the dense vertices that carry the
 *       landmarks are posed ({@link DenseVertexSubset}), so this stage is cheap.</li>
 *   <li>Details: the static identity field D_id and the per-frame expression fields D_exp,t (Eq. 3, D_exp,t
 *       hard-masked to the face), posed with LBS (Eq. 4) and rendered to normal, depth and coverage maps,
 *       against the estimated maps (Eq. 6), the mask and the landmarks, with magnitude and Laplacian terms
 *       on both fields and the disentanglement rule of Sec. 3.1.3. Frames come in shuffled batches; each
 *       per-frame parameter is stepped only when its frame is in the batch ({@link Adam}). What of D_id the
 *       base model's shape directions can express is moved into the shape coefficients
 *       ({@link ShapeReexpression}), so D_id keeps only the geometry the base lacks.</li>
 * </ol>
 */
public final class HeadFitter {
    /** The joints fitted per frame: global orientation, neck, head, jaw. */
    static final int[] JOINTS = {Joints.PELVIS, Joints.NECK, Joints.HEAD, Joints.JAW};

    private final DenseHead head;
    private final HeadModel model;
    private final FitConfig config;
    private final int[] faceVertices;
    private final int[] regions;
    private final DenseVertexSubset landmarkVertices;
    private final SurfacePoints landmarksOnSubset;
    private final Laplacian wholeLaplacian;
    private final Laplacian faceLaplacian;
    private final EdgeTopology topology;

    /** @param head the dense head at {@code config.level()} */
    public HeadFitter(DenseHead head, FitConfig config) {
        if (head.upsampler().levels() != config.level()) {
            throw new IllegalArgumentException("head has " + head.upsampler().levels() + " levels, config asks for " + config.level());
        }
        if (head.regions() == null) {
            throw new InputException("model " + head.model().name() + " has no region labels: the fit needs the face region");
        }
        this.head = head;
        this.model = head.model();
        this.config = config;
        this.regions = head.regions();
        this.faceVertices = Regions.faceVertices(regions);
        SurfacePoints lm = head.landmarks();
        int[] unique = Arrays.stream(lm.vertexIds()).distinct().sorted().toArray();
        this.landmarkVertices = head.vertices(unique);
        int[] local = new int[lm.vertexIds().length];
        for (int i = 0; i < local.length; i++) local[i] = Arrays.binarySearch(unique, lm.vertexIds()[i]);
        this.landmarksOnSubset = new SurfacePoints(local, lm.bary());
        this.wholeLaplacian = Laplacian.of(head.faces(), head.numVertices());
        this.faceLaplacian = Laplacian.restricted(head.faces(), head.numVertices(), faceVertices);
        this.topology = EdgeTopology.of(head.faces());
    }

    /**
     * The fit and its loss curves.
     *
     * @param head the fitted head
     * @param curves per step, by loss term name ("tracking/..." for stage 1, "details/..." for stage 2, whose
     *     first point is the detail terms at the starting point, before tracking)
     * @param seconds wall time of the whole fit
     */
    public record Result(PersonalHead head, Map<String, double[]> curves, double seconds) {}

    /**
     * Fits the clip.
     *
     * @param obs the observations; dense maps are used when present
     * @param log progress lines (a few per stage), or null
     */
    public Result fit(Observations obs, PrintStream log) {
        if (obs.numLandmarks() != model.numLandmarks()) {
            throw new InputException(obs.source() + ": " + obs.numLandmarks() + " landmarks per frame, model "
                    + model.name() + " has " + model.numLandmarks());
        }
        long start = System.nanoTime();
        Variables vars = new Variables(obs.frames());
        FrameCameras cameras = cameras(obs);
        Map<String, List<Double>> curves = new LinkedHashMap<>();
        Tensor detected = Tensors.floats(obs.landmarks(), obs.frames(), obs.numLandmarks(), 2);
        DetailTargets targets = config.details().epochs() > 0 ? DetailTargets.of(obs, detected, config.details().renderScale()) : null;
        if (targets != null) {
            // The detail terms at the starting point, before tracking, as the first point of their curves.
            try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                int[] first = new int[Math.min(vars.frames, config.details().batchFrames())];
                Arrays.setAll(first, i -> i);
                record(detailTerms(vars, cameras, targets, first), "details/", curves);
            }
        }
        track(vars, cameras, detected, obs.width(), curves, log);
        if (targets != null) {
            details(vars, cameras, targets, curves, log);
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        Map<String, Double> last = new LinkedHashMap<>();
        curves.forEach((k, v) -> {
            out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray());
            last.put(k, v.get(v.size() - 1));
        });
        PersonalHead result = vars.toPersonalHead(obs, cameras, last);
        return new Result(result, out, (System.nanoTime() - start) / 1e9);
    }

    /** The clip's cameras, or a portrait framing of the template with a learnable focal length when unknown. */
    private FrameCameras cameras(Observations obs) {
        if (obs.intrinsics() != null && obs.rotation() != null && obs.cameraTranslation() != null) {
            return new FrameCameras(obs.rotation(), obs.cameraTranslation(), obs.intrinsics(), obs.width(), obs.height(), false);
        }
        float[] template;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            template = Tensors.toFloats(head.neutral(torch.zeros(1, model.numShape())));
        }
        PinholeCamera c = Framing.portrait(template, Math.max(obs.width(), obs.height()));
        float[] k = new float[obs.frames() * 4];
        for (int t = 0; t < obs.frames(); t++) {
            k[t * 4] = (float) c.fx();
            k[t * 4 + 1] = (float) c.fy();
            k[t * 4 + 2] = (obs.width() - 1) / 2f;
            k[t * 4 + 3] = (obs.height() - 1) / 2f;
        }
        return new FrameCameras(c.rotation(), c.translation(), k, obs.width(), obs.height(), true);
    }

    // ---------------------------------------------------------------- stage 1

    private void track(Variables v, FrameCameras cameras, Tensor detected, int width, Map<String, List<Double>> curves,
                       PrintStream log) {
        FitConfig.Tracking c = config.tracking();
        int t = v.frames;
        int[] all = new int[t];
        Arrays.setAll(all, i -> i);
        List<Adam> steps = new ArrayList<>(List.of(
                new Adam(v.betas, c.learningRate()), new Adam(v.expression, c.learningRate()),
                new Adam(v.rotations, c.learningRate()), new Adam(v.translation, c.learningRate() * 0.1)));
        if (cameras.learnsFocal()) {
            steps.add(new Adam(cameras.logFocal(), c.learningRate()));
        }
        for (int it = 0; it < c.iterations(); it++) {
            try (PointerScope scope = new PointerScope()) {
                Tensor posed = landmarkVertices.pose(v.betas.expand(t, -1), v.expression, v.pose(null), v.translation, null, null).vertices();
                Tensor projected = cameras.project(landmarksOnSubset.evaluate(posed), all);
                Map<String, Tensor> terms = new LinkedHashMap<>();
                terms.put("landmarks", FitLosses.landmarks(projected, detected, width).mul(scalar(c.landmarks())));
                terms.put("expressionPrior", FitLosses.expressionPrior(v.expression).mul(scalar(c.expressionPrior())));
                terms.put("shapePrior", v.betas.square().sum().mul(scalar(c.shapePrior())));
                terms.put("translationPrior", v.translation.mul(scalar(100)).square().sum(new long[] {1}, false,
                        new org.bytedeco.pytorch.ScalarTypeOptional()).mean().mul(scalar(c.translationPrior())));
                terms.put("bodyRotationPrior", v.rotations.select(1, 0).square().sum(new long[] {1}, false,
                        new org.bytedeco.pytorch.ScalarTypeOptional()).mean().mul(scalar(c.bodyRotationPrior())));
                terms.put("smoothness", v.temporalRoughness().mul(scalar(c.smoothness())));
                record(terms, "tracking/", curves).backward();
                for (Adam a : steps) a.step();
                v.project(c.clampExpression());
            }
            if (log != null && (it + 1) % Math.max(1, c.iterations() / 5) == 0) {
                log.printf("  tracking %d/%d  landmarks %.3g%n", it + 1, c.iterations(), last(curves, "tracking/landmarks"));
            }
        }
    }

    // ---------------------------------------------------------------- stage 2

    /** The observations the detail stage compares against, at the render size. */
    private record DetailTargets(Observations obs, Tensor detected, int landmarkWidth, Tensor normals, Tensor depth, Tensor masks,
                                 int scale) {
        static DetailTargets of(Observations full, Tensor detected, int renderScale) {
            int scale = full.hasDense() ? renderScale : 1;
            Observations obs = scale == 1 ? full : full.downsample(scale);
            int t = obs.frames(), h = obs.height(), w = obs.width();
            return new DetailTargets(obs, detected, full.width(),
                    obs.normals() == null ? null : Tensors.floats(obs.normals(), t, h, w, 3),
                    obs.depth() == null ? null : Tensors.floats(obs.depth(), t, h, w, 1),
                    obs.masks() == null ? null : Tensors.floats(obs.masks(), t, h, w, 1),
                    scale);
        }
    }

    private void details(Variables v, FrameCameras cameras, DetailTargets targets, Map<String, List<Double>> curves, PrintStream log) {
        FitConfig.Details c = config.details();
        int t = v.frames;
        v.canonicalNormals();
        double baldness = 0;
        if (c.identityOffsets() && c.disentangle()) {
            double amount = c.identityInit();
            if (c.estimateHair() && targets.masks() != null) {
                amount = estimateHair(v, cameras, targets);
                baldness = baldness(amount);
                if (log != null) log.printf(java.util.Locale.ROOT, "  hair prior from the silhouette: %.1f mm%n", amount * 1000);
            }
            v.initIdentity(amount);
        }
        v.identityWeights = identityWeights(regions, c, baldness);
        ShapeReexpression reexpression = c.identityOffsets() && c.shapeReexpression()
                ? ShapeReexpression.of(head, reexpressionWeights(regions, baldness)) : null;
        boolean reexpressEveryStep = reexpression != null && baldness > 0;
        List<Adam> shared = new ArrayList<>(List.of(new Adam(v.betas, c.shapeLearningRate())));
        List<Adam> perFrame = new ArrayList<>(List.of(new Adam(v.expression, c.coarseLearningRate()),
                new Adam(v.rotations, c.coarseLearningRate()), new Adam(v.translation, c.coarseLearningRate() * 0.1)));
        if (c.identityOffsets()) {
            shared.add(new Adam(v.identityOffsets, c.identityLearningRate(), true));
            if (c.identityBasis() > 0) {
                v.identityBasis(c.identityBasis(), c.identityBasisWidth());
                shared.add(new Adam(v.basisWeights, c.identityBasisLearningRate()));
            }
        }
        if (c.expressionOffsets()) perFrame.add(new Adam(v.expressionOffsets, c.expressionLearningRate(), true));
        List<Adam> all = new ArrayList<>(shared);
        all.addAll(perFrame);
        double[] baseRates = all.stream().mapToDouble(Adam::learningRate).toArray();

        Random order = new Random(config.seed());
        int batches = (t + c.batchFrames() - 1) / c.batchFrames();
        int total = c.epochs() * batches, done = 0;
        for (int epoch = 0; epoch < c.epochs(); epoch++) {
            int[] perm = shuffled(t, order);
            for (int b = 0; b < batches; b++) {
                int[] frames = Arrays.copyOfRange(perm, b * c.batchFrames(), Math.min(t, (b + 1) * c.batchFrames()));
                // Cosine decay of every rate to 2% over the stage: large early moves (hair volume is
                // centimetres), then small ones (wrinkles are tenths of a millimetre).
                double decay = 0.02 + 0.98 * 0.5 * (1 + Math.cos(Math.PI * done / Math.max(1, total - 1)));
                for (int i = 0; i < all.size(); i++) all.get(i).learningRate(baseRates[i] * decay);
                try (PointerScope scope = new PointerScope()) {
                    record(detailTerms(v, cameras, targets, frames), "details/", curves).backward();
                    for (Adam a : shared) a.step();
                    for (Adam a : perFrame) a.step(frames);
                    v.project(config.tracking().clampExpression());
                    if (reexpressEveryStep) v.reexpress(reexpression);
                }
                done++;
                if (log != null && done % Math.max(1, total / 10) == 0) {
                    log.printf("  details %d/%d  normals %.3g  landmarks %.3g%n", done, total,
                            last(curves, "details/normals"), last(curves, "details/landmarks"));
                }
            }
        }
        if (reexpression != null) {
            v.reexpress(reexpression);
            reexpression.close();
        }
    }

    /** A hair estimate under this (metres) says bald: the calibrated estimate of a bald head is 1-2 mm. */
    static final double BALD_BELOW = 0.002;
    /** A hair estimate from this (metres) says haired (the synthetic world's short hair is 3-8 mm, bobs 12-20). */
    static final double HAIRED_FROM = 0.005;

    /** How bald the silhouette's hair estimate (metres) says the head is: 1 under 2 mm, 0 from 5 mm, linear between. */
    static double baldness(double hairEstimate) {
        return Math.max(0, Math.min(1, (HAIRED_FROM - hairEstimate) / (HAIRED_FROM - BALD_BELOW)));
    }

    /**
     * Weights of the shape re-expression: every region but the ears (their thin flaps are D_id's own detail),
     * the scalp only as far as the silhouette says the head is bald (hair is D_id's, not a larger skull).
     */
    static float[] reexpressionWeights(int[] regions, double baldness) {
        float[] w = new float[regions.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = regions[i] == Regions.EARS ? 0f : regions[i] == Regions.SCALP ? (float) baldness : 1f;
        }
        return w;
    }

    /**
     * How thick the hair is, from the silhouette after tracking (for the prior of Sec. 3.1.3): above the eyes,
     * the target mask's area outside the tracked bare head, divided by the length of the head's outline there,
     * is the mean outward gap in pixels; times depth over focal length it is metres, times {@code hairGapScale}
     * the mean thickness over the scalp. A bald head gives about 0, so the prior no longer puts hair on it.
     * Clamped to [0, 3 cm]; measured on up to 4 frames.
     */
    private double estimateHair(Variables v, FrameCameras cameras, DetailTargets targets) {
        int[] frames = new int[Math.min(4, v.frames)];
        Arrays.setAll(frames, i -> i * v.frames / frames.length);
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            int n = frames.length;
            Tensor index = Tensors.longs(frames, n);
            Tensor betas = v.betas.expand(n, -1), expression = torch.index_select(v.expression, 0, index), pose = v.pose(index);
            Tensor translation = torch.index_select(v.translation, 0, index);
            Tensor posed = head.pose(betas, expression, pose, translation, null, null).vertices();
            PinholeCamera camera = cameras.renderCamera(targets.scale());
            MapRenderer.Maps maps = MapRenderer.render(posed, head.faces(), topology, camera, cameras.principalShifts(frames, targets.scale()),
                    false, null);
            float[] target = Tensors.toFloats(torch.index_select(targets.masks(), 0, index));
            Tensor lm = landmarkVertices.pose(betas, expression, pose, translation, null, null).vertices();
            float[] px = Tensors.toFloats(cameras.project(landmarksOnSubset.evaluate(lm), frames));
            float[] depth = Tensors.toFloats(cameras.toCamera(landmarksOnSubset.evaluate(lm)).narrow(2, 2, 1));
            int w = camera.width(), h = camera.height(), l = head.landmarks().size();
            double sum = 0;
            for (int f = 0; f < n; f++) {
                int[] tri = maps.rasters().get(f).triangle();
                double eyes = 0, z = 0;
                for (int k = 36; k < 48 && k < l; k++) eyes += px[(f * l + k) * 2 + 1] / 12.0;
                for (int k = 0; k < l; k++) z += depth[f * l + k] / l;
                int eyeRow = (int) Math.min(h, Math.max(0, (eyes + 0.5) / targets.scale() - 0.5));
                boolean[] covered = new boolean[w * h];
                for (int p = 0; p < covered.length; p++) covered[p] = tri[p] >= 0;
                float[] frameTarget = Arrays.copyOfRange(target, f * w * h, (f + 1) * w * h);
                sum += SilhouetteGap.meanGap(covered, frameTarget, w, h, eyeRow) * z / camera.fx();
            }
            return Math.max(0, Math.min(0.03, config.details().hairGapScale() * sum / n));
        }
    }

    /** The weighted loss terms of the detail stage on a batch of frames. */
    private Map<String, Tensor> detailTerms(Variables v, FrameCameras cameras, DetailTargets targets, int[] frames) {
        FitConfig.Details c = config.details();
        int n = frames.length;
        Tensor index = Tensors.longs(frames, n);
        Tensor dExp = null;
        if (c.expressionOffsets()) {
            dExp = torch.index_copy(torch.zeros(n, head.numVertices(), 3), 1, v.faceIndex, torch.index_select(v.expressionOffsets, 0, index));
        }
        Tensor betas = v.betas.expand(n, -1), expression = torch.index_select(v.expression, 0, index), pose = v.pose(index);
        Tensor translation = torch.index_select(v.translation, 0, index);
        Tensor identity = c.identityOffsets() ? v.identity() : null;
        Tensor posed = head.pose(betas, expression, pose, translation, identity, dExp).vertices();
        Map<String, Tensor> terms = new LinkedHashMap<>();
        // Landmarks steer the coarse parameters only: on the offset fields they would drag the few landmark
        // vertices sideways (detectors err by pixels), which folds the surface around them.
        Tensor landmarkMesh = landmarkVertices.pose(betas, expression, pose, translation, null, null).vertices();
        terms.put("landmarks", FitLosses.landmarks(cameras.project(landmarksOnSubset.evaluate(landmarkMesh), frames),
                torch.index_select(targets.detected(), 0, index), targets.landmarkWidth()).mul(scalar(c.landmarks())));
        if (targets.obs().hasDense()) {
            MapRenderer.Maps maps = MapRenderer.render(posed, head.faces(), topology, cameras.renderCamera(targets.scale()),
                    cameras.principalShifts(frames, targets.scale()), true, null);
            Tensor targetMask = targets.masks() == null ? maps.mask().detach().gt(scalar(0.5)).to(torch.ScalarType.Float)
                    : torch.index_select(targets.masks(), 0, index);
            // Compare normals and depth where both the target and the render see the surface.
            Tensor valid = targetMask.gt(scalar(0.5)).logical_and(maps.mask().detach().gt(scalar(0.99))).to(torch.ScalarType.Float);
            if (targets.normals() != null) {
                terms.put("normals", FitLosses.normals(maps.normal(), torch.index_select(targets.normals(), 0, index), valid)
                        .mul(scalar(c.normals())));
            }
            if (targets.depth() != null) {
                Tensor target = torch.index_select(targets.depth(), 0, index);
                Tensor withDepth = valid.mul(target.gt(scalar(0)).to(torch.ScalarType.Float));
                terms.put("depth", FitLosses.depth(maps.depth(), target, withDepth).mul(scalar(c.depth())));
            }
            if (targets.masks() != null) {
                terms.put("mask", FitLosses.mask(maps.mask(), targetMask).mul(scalar(c.mask())));
            }
        }
        terms.put("expressionPrior", FitLosses.expressionPrior(expression).mul(scalar(c.expressionPrior())));
        if (c.smoothness() > 0) {
            terms.put("smoothness", v.temporalRoughness().mul(scalar(c.smoothness())));
        }
        if (c.identityOffsets()) {
            terms.put("identityMagnitude", FitLosses.magnitude(identity, v.normals, c.tangentialMagnitude(), v.identityWeights));
            terms.put("identitySmoothness", FitLosses.smoothness(wholeLaplacian, identity).mul(scalar(c.identitySmoothness())));
        }
        if (c.expressionOffsets()) {
            Tensor rows = torch.index_select(v.expressionOffsets, 0, index);
            if (c.disentangle()) {
                terms.put("expressionMagnitude", FitLosses.magnitude(rows, v.faceNormals, c.tangentialMagnitude(), null)
                        .mul(scalar(c.expressionMagnitude())));
            }
            terms.put("expressionSmoothness", FitLosses.smoothness(faceLaplacian, rows).mul(scalar(c.expressionSmoothness())));
        }
        return terms;
    }

    /**
     * Per-vertex weights [Vd, 1] of |D_id|^2: larger on the face, so that D_id deforms mainly the rest; on the
     * scalp and neck larger by {@code baldMagnitude} as far as the silhouette says the head is bald (nothing
     * static is expected there beyond the base shape).
     */
    private static Tensor identityWeights(int[] regions, FitConfig.Details c, double baldness) {
        float[] w = new float[regions.length];
        for (int i = 0; i < w.length; i++) {
            boolean face = regions[i] == Regions.FACE || regions[i] == Regions.LIPS || regions[i] == Regions.EYES;
            boolean bare = regions[i] == Regions.SCALP || regions[i] == Regions.NECK;
            w[i] = (float) (face ? c.identityFaceMagnitude() : c.identityMagnitude() + (bare ? baldness * c.baldMagnitude() : 0));
        }
        return Tensors.floats(w, w.length, 1);
    }

    /** Adds the terms, records each (and the total) in the curves, and returns the total; refuses a divergence. */
    private static Tensor record(Map<String, Tensor> terms, String prefix, Map<String, List<Double>> curves) {
        Tensor total = null;
        for (Map.Entry<String, Tensor> e : terms.entrySet()) {
            total = total == null ? e.getValue() : total.add(e.getValue());
            curves.computeIfAbsent(prefix + e.getKey(), k -> new ArrayList<>()).add(e.getValue().item_double());
        }
        double value = total.item_double();
        if (!Double.isFinite(value)) {
            throw new IllegalStateException("the fit diverged: loss " + value + " (" + prefix + ")");
        }
        curves.computeIfAbsent(prefix + "total", k -> new ArrayList<>()).add(value);
        return total;
    }

    private static double last(Map<String, List<Double>> curves, String key) {
        List<Double> c = curves.get(key);
        return c == null || c.isEmpty() ? Double.NaN : c.get(c.size() - 1);
    }

    private static int[] shuffled(int n, Random r) {
        int[] p = new int[n];
        Arrays.setAll(p, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    /** The optimized tensors (leaves with gradients). */
    private final class Variables {
        final int frames;
        final Tensor betas;             // [1, S]
        final Tensor expression;        // [T, E]
        final Tensor rotations;         // [T, 4, 3] axis-angle of JOINTS
        final Tensor translation;       // [T, 3]
        final Tensor identityOffsets;   // [Vd, 3]
        final Tensor expressionOffsets; // [T, Nf, 3]
        final Tensor jointIndex = Tensors.longs(JOINTS, JOINTS.length);
        final Tensor faceIndex = Tensors.longs(faceVertices, faceVertices.length);
        Tensor normals;      // [Vd, 3] of the tracked neutral shape, for the magnitude terms
        Tensor identityWeights; // [Vd, 1] weights of |D_id|^2
        Tensor faceNormals;  // [Nf, 3]
        Tensor basis;        // [Vd, K] smooth bumps over the neutral surface, or null
        Tensor basisWeights; // [K, 1] metres along the normal

        Variables(int frames) {
            this.frames = frames;
            betas = torch.zeros(1, model.numShape()).set_requires_grad(true);
            expression = torch.zeros(frames, model.numExpression()).set_requires_grad(true);
            rotations = torch.zeros(frames, JOINTS.length, 3).set_requires_grad(true);
            translation = torch.zeros(frames, 3).set_requires_grad(true);
            identityOffsets = torch.zeros(head.numVertices(), 3).set_requires_grad(true);
            expressionOffsets = torch.zeros(frames, faceVertices.length, 3).set_requires_grad(true);
            identityWeights = identityWeights(regions, config.details(), 0);
        }

        /** The full pose [B, J, 3] of the given frames (all when null), zero on the joints not fitted. */
        Tensor pose(Tensor frameIndex) {
            Tensor r = frameIndex == null ? rotations : torch.index_select(rotations, 0, frameIndex);
            return torch.index_copy(torch.zeros(r.size(0), model.numJoints(), 3), 1, jointIndex, r);
        }

        /** Squared second differences in time of the rotations and expression of the whole clip (both stages' smoothness). */
        Tensor temporalRoughness() {
            return FitLosses.secondDifference(rotations).add(FitLosses.secondDifference(expression));
        }

        /** Keeps the parameters in their valid ranges after a step. */
        void project(boolean clampExpression) {
            if (clampExpression) {
                try (NoGradGuard g = new NoGradGuard()) {
                    expression.clamp_(new org.bytedeco.pytorch.ScalarOptional(scalar(0)), new org.bytedeco.pytorch.ScalarOptional(scalar(1)));
                }
            }
        }

        /**
         * D_id as optimized: the per-vertex field plus, when a basis is set, broad bumps along the normals,
         * sum_k w_k phi_k(v) n_v. The bumps let the few vertices on the outline (the only ones the silhouette
         * reaches) move whole regions at once, as hair volume needs; the result is still one offset per dense
         * vertex, as Eq. 3 has it. [Vd, 3]
         */
        Tensor identity() {
            return basis == null ? identityOffsets : identityOffsets.add(basis.matmul(basisWeights).mul(normals));
        }

        /**
         * K Gaussian bumps of width {@code width} metres centred on vertices of the neutral surface spread by
         * farthest-point sampling, each normalized to peak 1.
         */
        void identityBasis(int k, double width) {
            float[] v;
            try (NoGradGuard g = new NoGradGuard()) {
                v = Tensors.toFloats(head.neutral(betas.detach()));
            }
            int vd = v.length / 3;
            int[] centres = new int[k];
            double[] nearest = new double[vd];
            java.util.Arrays.fill(nearest, Double.MAX_VALUE);
            int next = 0;
            for (int c = 0; c < k; c++) {
                centres[c] = next;
                int far = 0;
                for (int i = 0; i < vd; i++) {
                    double dx = v[i * 3] - v[next * 3], dy = v[i * 3 + 1] - v[next * 3 + 1], dz = v[i * 3 + 2] - v[next * 3 + 2];
                    nearest[i] = Math.min(nearest[i], dx * dx + dy * dy + dz * dz);
                    if (nearest[i] > nearest[far]) far = i;
                }
                next = far;
            }
            float[] phi = new float[vd * k];
            for (int i = 0; i < vd; i++) {
                for (int c = 0; c < k; c++) {
                    int j = centres[c];
                    double dx = v[i * 3] - v[j * 3], dy = v[i * 3 + 1] - v[j * 3 + 1], dz = v[i * 3 + 2] - v[j * 3 + 2];
                    phi[i * k + c] = (float) Math.exp(-(dx * dx + dy * dy + dz * dz) / (2 * width * width));
                }
            }
            basis = Tensors.floats(phi, vd, k);
            basisWeights = torch.zeros(k, 1).set_requires_grad(true);
        }

        /** Moves the shape space's part of D_id into the shape coefficients; the canonical surface is unchanged. */
        void reexpress(ShapeReexpression r) {
            try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                double[] d = r.coefficients(identity());
                betas.add_(ShapeReexpression.row(d));
                identityOffsets.sub_(r.offsets(d));
            }
        }

        /** Unit normals of the neutral dense mesh of the current shape (no gradient). */
        void canonicalNormals() {
            try (NoGradGuard g = new NoGradGuard()) {
                normals = VertexNormals.compute(head.neutral(betas.detach()), head.faces()).squeeze(0).contiguous();
                faceNormals = torch.index_select(normals, 0, faceIndex);
            }
        }

        /**
         * The disentanglement prior of Sec. 3.1.3: D_id starts non-zero where static geometry is expected, as
         * an outward offset of {@code amount} metres along the neutral normals on the hair region.
         */
        void initIdentity(double amount) {
            try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                float[] mask = new float[regions.length];
                for (int i = 0; i < mask.length; i++) mask[i] = regions[i] == Regions.SCALP ? (float) amount : 0f;
                // Feather the hair line (a few rings of Laplacian smoothing) so the prior starts smooth.
                Tensor m = Tensors.floats(mask, mask.length, 1);
                for (int k = 0; k < 8; k++) m = m.sub(wholeLaplacian.apply(m).mul(scalar(0.5)));
                identityOffsets.copy_(normals.mul(m));
            }
        }

        PersonalHead toPersonalHead(Observations obs, FrameCameras cameras, Map<String, Double> losses) {
            try (NoGradGuard g = new NoGradGuard()) {
                float[] pose = Tensors.toFloats(pose(null));
                return new PersonalHead(model.name(), config.level(), obs.fps(), obs.source(), obs.width(), obs.height(),
                        model.numShape(), model.numExpression(), model.numJoints(), Tensors.toFloats(betas),
                        Tensors.toFloats(expression), pose, Tensors.toFloats(translation), cameras.currentIntrinsics(),
                        cameras.camera(0).rotation(), cameras.camera(0).translation(),
                        Tensors.toFloats(identity()), faceVertices.clone(), Tensors.toFloats(expressionOffsets), losses);
            }
        }
    }
}
