package dev.expportrait.fit;

import dev.expportrait.io.AtomicFiles;
import dev.expportrait.io.InputException;
import dev.expportrait.io.Json;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every weight, iteration count and learning rate of the fit, in one place; read from and written to JSON
 * ({@code {"tracking": {...}, "details": {...}}}, missing keys take the defaults, unknown keys are refused).
 * The defaults work on the synthetic world at 256 px.
 *
 * @param level upsampling levels of the dense mesh (Eq. 2)
 * @param seed seed of the frame order in the detail stage
 * @param tracking stage 1, coarse tracking
 * @param details stage 2, the detail fields
 */
public record FitConfig(int level, long seed, Tracking tracking, Details details) {

    /**
     * Stage 1: shape shared by the clip; per frame expression, global, neck, head and jaw rotations,
     * translation; the focal length when the camera is unknown. Landmarks only.
     *
     * @param iterations Adam steps over all frames at once
     * @param learningRate Adam step for rotations (rad), expression, shape; translation uses a tenth
     * @param landmarks weight of Eq. 5 (Charbonnier distance in units of the image width)
     * @param expressionPrior weight of Eq. 7 (L2 on the expression coefficients)
     * @param shapePrior weight of an L2 prior on the shape coefficients
     * @param translationPrior weight of an L2 prior on the translation in centimetres: the body stays near the
     *     world origin its camera was set up for. Without it, landmarks leave the distance to the camera
     *     free (a smaller head nearer looks the same through a portrait lens)
     * @param bodyRotationPrior weight of an L2 prior on the global (body) rotation in radians: landmarks see the
     *     head only, and a body tilt would otherwise trade against the neck and move the head in depth
     * @param smoothness weight of the temporal smoothness of pose and expression (squared second differences)
     * @param clampExpression keep expression coefficients in [0, 1] (the built-in head's ARKit-style
     *     coefficients); false for PCA expression spaces such as SMPL-X's
     */
    public record Tracking(int iterations, double learningRate, double landmarks, double expressionPrior,
                           double shapePrior, double translationPrior,
                           double bodyRotationPrior, double smoothness, boolean clampExpression) {}

    /**
     * Stage 2: D_id and D_exp,t on the dense mesh (Eq. 3) against normal and depth maps (Eq. 6), the mask
     * and the landmarks, with the coarse parameters refined at a lower rate.
     *
     * @param epochs passes over the clip; each pass visits every frame once, in batches
     * @param batchFrames frames per step
     * @param renderScale downsampling of the targets and of the render (1 = full size, 2 = half, ...)
     * @param identityLearningRate Adam step of D_id, metres; all rates decay to 2% over the stage (cosine)
     * @param expressionLearningRate Adam step of D_exp,t, metres
     * @param coarseLearningRate Adam step of the coarse parameters in this stage (shape, expression, rotations;
     *     translation a tenth)
     * @param normals weight of the normal term of Eq. 6 (L1 on unit normals over the target mask)
     * @param depth weight of the depth term of Eq. 6 (L1 after the best per-frame scale, relative to the depth)
     * @param mask weight of the silhouette term (squared coverage difference)
     * @param landmarks weight of Eq. 5 in this stage
     * @param expressionPrior weight of Eq. 7 in this stage
     * @param smoothness weight of the temporal smoothness of pose and expression in this stage (squared second
     *     differences over the whole clip; each step moves only the batch's frames)
     * @param identityOffsets optimize D_id
     * @param expressionOffsets optimize D_exp,t
     * @param disentangle the rule of Sec. 3.1.3: D_id starts non-zero in the static regions and every D_exp,t
     *     pays {@code expressionMagnitude}; without it D_id starts at zero and D_exp,t is free
     * @param identityInit the initial outward offset of D_id on the hair region, metres, when it is not estimated
     *     (no masks, or {@code estimateHair} false)
     * @param estimateHair estimate that offset from the silhouette after tracking (needs masks)
     * @param hairGapScale the estimate is this times the mean outward gap of the target silhouette: the gap is
     *     widest where the outline passes (sides and top), the prior is one offset for the whole scalp.
     *     Calibrated by {@code bench/hair-calibration.sh} at level 1, 256 px, on synthetic clips no other benchmark or
     *     test uses; at level 0, 128 px the scaled estimate runs about a quarter low (HeadFitterTest)
     * @param identityMagnitude weight of |D_id|^2 (square millimetres, as all field terms) off the face (hair, ears, neck, clothing)
     * @param identityFaceMagnitude weight of |D_id|^2 on the face, larger: D_id deforms mainly non-facial regions
     * @param identitySmoothness weight of |L D_id|^2 (uniform Laplacian)
     * @param expressionMagnitude weight of |D_exp,t|^2, the minimal-magnitude penalty of Sec. 3.1.3
     * @param expressionSmoothness weight of |L D_exp,t|^2
     * @param identityBasis number of broad bumps along the normals added to D_id's per-vertex field (0: none);
     *     they let the silhouette, which reaches only the outline's vertices, move whole regions (hair volume)
     * @param identityBasisWidth width (standard deviation) of those bumps, metres
     * @param identityBasisLearningRate Adam step of the bumps' heights, metres
     * @param tangentialMagnitude how many times more both magnitude terms weigh the part of an offset along
     *     the surface than the part along its normal
     * @param shapeLearningRate Adam step of the shape coefficients in this stage (the dense maps see the whole
     *     face's shape, which the landmarks leave loose)
     * @param shapeReexpression move the part of D_id that the shape space can express into the shape
     *     coefficients ({@link ShapeReexpression}) at the end of the stage, and after every step for a head the
     *     silhouette says is bald (there all static geometry but ears and clothing should be the base shape's)
     * @param baldMagnitude added to {@code identityMagnitude} on the scalp and neck of a head the silhouette says is
     *     bald (hair estimate under 2 mm; none from 5 mm, linear between)
     */
    public record Details(int epochs, int batchFrames, int renderScale, double identityLearningRate,
                          double expressionLearningRate, double coarseLearningRate,
                          double normals, double depth, double mask, double landmarks, double expressionPrior, double smoothness,
                          boolean identityOffsets, boolean expressionOffsets, boolean disentangle, double identityInit, boolean estimateHair, double hairGapScale,
                          double identityMagnitude, double identityFaceMagnitude, double identitySmoothness,
                          double expressionMagnitude, double expressionSmoothness, int identityBasis, double identityBasisWidth,
                          double identityBasisLearningRate, double tangentialMagnitude, double shapeLearningRate,
                          boolean shapeReexpression, double baldMagnitude) {}

    public static final Tracking DEFAULT_TRACKING = new Tracking(150, 0.02, 1.0, 1e-3, 1e-5, 1e-2, 1.0, 0.5, true);
    public static final Details DEFAULT_DETAILS = new Details(24, 8, 2, 1e-3, 5e-5, 5e-3,
            1.0, 1.0, 1.0, 1.0, 1e-3, 0.5,
            true, true, true, 0.004, true, 0.73,
            1e-4, 0.1, 10.0,
            0.05, 10.0, 96, 0.03, 3e-3, 100.0, 5e-3, true, 0.01);
    public static final FitConfig DEFAULT = new FitConfig(1, 1, DEFAULT_TRACKING, DEFAULT_DETAILS);

    public FitConfig {
        if (level < 0 || level > 2) {
            throw new InputException("fit config: level " + level + " must be 0, 1 or 2");
        }
        if (tracking.iterations() < 0 || details.epochs() < 0 || details.batchFrames() < 1 || details.renderScale() < 1) {
            throw new InputException("fit config: iterations and epochs must be >= 0, batchFrames and renderScale >= 1");
        }
    }

    public FitConfig withDetails(Details d) {
        return new FitConfig(level, seed, tracking, d);
    }

    public FitConfig withTracking(Tracking t) {
        return new FitConfig(level, seed, t, details);
    }

    /** The four variants of the accuracy benchmark: (a) base only, (b) + D_id, (c) full, (d) full without the rule. */
    public FitConfig variant(char which) {
        Details d = details;
        return switch (which) {
            case 'a' -> withDetails(with(d, Map.of("identityOffsets", false, "expressionOffsets", false)));
            case 'b' -> withDetails(with(d, Map.of("identityOffsets", true, "expressionOffsets", false)));
            case 'c' -> withDetails(with(d, Map.of("identityOffsets", true, "expressionOffsets", true, "disentangle", true)));
            case 'd' -> withDetails(with(d, Map.of("identityOffsets", true, "expressionOffsets", true, "disentangle", false)));
            default -> throw new IllegalArgumentException("variant " + which + " is not one of a, b, c, d");
        };
    }

    /** Reads a config file; missing keys keep their defaults. */
    public static FitConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such fit config file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")");
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (RuntimeException e) {
            throw new InputException(file + ": not valid JSON (" + e.getMessage() + ")");
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new InputException(file + ": a fit config is a JSON object");
        }
        Map<String, Object> top = new LinkedHashMap<>(toDefaults(DEFAULT));
        top.remove("tracking");
        top.remove("details");
        Tracking tracking = DEFAULT_TRACKING;
        Details details = DEFAULT_DETAILS;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = (String) e.getKey();
            switch (key) {
                case "tracking" -> tracking = with(tracking, section(file, key, e.getValue()));
                case "details" -> details = with(details, section(file, key, e.getValue()));
                case "level", "seed" -> top.put(key, e.getValue());
                default -> throw new InputException(file + ": unknown key '" + key + "'");
            }
        }
        try {
            return new FitConfig(((Number) top.get("level")).intValue(), ((Number) top.get("seed")).longValue(), tracking, details);
        } catch (ClassCastException e) {
            throw new InputException(file + ": level and seed must be numbers");
        }
    }

    /** Writes this config as JSON (atomically). */
    public void write(Path file) {
        AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** This config as a JSON object. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", (long) level);
        m.put("seed", seed);
        m.put("tracking", toDefaults(tracking));
        m.put("details", toDefaults(details));
        return Json.write(m);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Path file, String name, Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new InputException(file + ": '" + name + "' must be a JSON object");
        }
        Map<String, Object> m = (Map<String, Object>) value;
        for (String k : m.keySet()) {
            boolean known = false;
            for (RecordComponent c : (name.equals("tracking") ? Tracking.class : Details.class).getRecordComponents()) {
                known |= c.getName().equals(k);
            }
            if (!known) {
                throw new InputException(file + ": unknown key '" + name + "." + k + "'");
            }
        }
        return m;
    }

    /** The record's components by name (ints and longs as Long, doubles as Double, booleans). */
    private static Map<String, Object> toDefaults(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(r);
                m.put(c.getName(), v instanceof Integer i ? (Object) (long) i : v instanceof Record inner ? toDefaults(inner) : v);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    /**
     * A copy of {@code base} with the named components replaced (values converted to the component's type),
     * e.g. {@code with(DEFAULT_DETAILS, Map.of("epochs", 4))}.
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R with(R base, Map<String, ?> changes) {
        RecordComponent[] cs = base.getClass().getRecordComponents();
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        try {
            for (int i = 0; i < cs.length; i++) {
                types[i] = cs[i].getType();
                Object v = changes.containsKey(cs[i].getName()) ? changes.get(cs[i].getName()) : cs[i].getAccessor().invoke(base);
                args[i] = convert(cs[i], v);
            }
            return (R) base.getClass().getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object convert(RecordComponent c, Object v) {
        Class<?> t = c.getType();
        if (t == boolean.class && v instanceof Boolean) return v;
        if (v instanceof Number n) {
            if (t == int.class && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
            if (t == long.class && n.doubleValue() == Math.rint(n.doubleValue())) return n.longValue();
            if (t == double.class) return n.doubleValue();
        }
        throw new InputException("fit config: '" + c.getName() + "' must be " + (t == boolean.class ? "true or false"
                : t == double.class ? "a number" : "an integer") + ", got " + v);
    }
}
