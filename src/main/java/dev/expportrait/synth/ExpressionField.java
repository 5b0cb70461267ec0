package dev.expportrait.synth;

import dev.expportrait.head.HeadModel;
import dev.expportrait.head.Regions;
import java.util.List;

/**
 * The ground-truth expression offsets D_exp,t (paper Eq. 3) of a synthetic identity: expression wrinkles
 * and bulges the base model's linear blend shapes cannot express, confined to the face and lips (exactly
 * 0 elsewhere) and along the neutral normal.
 *
 * <p>Each fold is a fixed spatial pattern of the identity (placed and scaled from its own neutral
 * landmarks, with its own crease count, phase and curvature) times a nonlinear amplitude: depth *
 * smoothstep(activation), the activation a soft maximum of the driving expression coefficients (looked
 * up by name) and the jaw opening, and the depth driven by age. So the same expression creases an old
 * face deeply and a child's barely (paper Sec. 3.2), and all offsets vanish at the neutral expression.
 *
 * <p>Built once per identity with {@link #of}, then evaluated per frame.
 */
public final class ExpressionField {
    /** The folds, one spatial pattern each; R and L are the subject's right and left. */
    private enum Fold {
        FOREHEAD_R, FOREHEAD_L, GLABELLA, CROW_R, CROW_L, NASOLABIAL_R, NASOLABIAL_L, CHIN, LIP_LINES, PUFF_R, PUFF_L
    }

    /** Jaw rotation (rad) at which the jaw's contribution to folds saturates. */
    private static final double JAW_FULL = 0.3;
    /** Depth of the resting crease lines, as a fraction of the full expression depth. */
    static final double REST_FRACTION = 0.2;

    private final float[] normals;
    private final float[][] patterns;
    private final double[] depths;
    private final Drivers drivers;

    private ExpressionField(float[] normals, float[][] patterns, double[] depths, Drivers drivers) {
        this.normals = normals;
        this.patterns = patterns;
        this.depths = depths;
        this.drivers = drivers;
    }

    /**
     * @param identity the identity ({@code mesh} must be its neutral mesh)
     * @param mesh its dense neutral mesh
     * @param model the head model, for its expression names
     */
    public static ExpressionField of(Identity identity, NeutralMesh mesh, HeadModel model) {
        return new ExpressionField(mesh.normals(), patterns(identity, mesh), depths(identity), new Drivers(model.expressionNames()));
    }

    /** Each fold's depth at full activation (metres), driven by age. */
    private static double[] depths(Identity identity) {
        Fold[] folds = Fold.values();
        double[] depths = new double[folds.length];
        double d = identity.wrinkleDepth();
        for (Fold f : folds) {
            depths[f.ordinal()] = switch (f) {
                case FOREHEAD_R, FOREHEAD_L -> d;
                case GLABELLA -> 0.8 * d;
                case CROW_R, CROW_L -> 0.7 * d;
                case NASOLABIAL_R, NASOLABIAL_L -> 0.9 * d;
                case CHIN -> 0.4 * d;
                case LIP_LINES -> 0.6 * d;
                // Puffed cheeks bulge at any age; softer skin bulges more.
                case PUFF_R, PUFF_L -> 2e-3 + 2e-3 * identity.skinSoftness();
            };
        }
        return depths;
    }

    /**
     * The resting trace of the identity's creases: the forehead, frown, crow's-feet, nasolabial and lip folds
     * at {@link #REST_FRACTION} of their full depth, as the face shows them with no expression. They are static,
     * so they belong to the identity offsets D_id ({@link IdentityField}); they make age visible in the
     * neutral geometry, which is what lets a model conditioned on it (Sec. 3.2) tell a child from an old face.
     *
     * @return offsets [Vd, 3] metres along the neutral normals; 0 outside the face
     */
    static float[] restLines(Identity identity, NeutralMesh mesh) {
        float[][] patterns = patterns(identity, mesh);
        float[] n = mesh.normals();
        float[] out = new float[n.length];
        double[] depths = depths(identity);
        for (Fold f : new Fold[] {Fold.FOREHEAD_R, Fold.FOREHEAD_L, Fold.GLABELLA, Fold.CROW_R, Fold.CROW_L, Fold.NASOLABIAL_R, Fold.NASOLABIAL_L,
                Fold.LIP_LINES}) {
            double d = REST_FRACTION * depths[f.ordinal()];
            float[] pattern = patterns[f.ordinal()];
            for (int i = 0; i < pattern.length; i++) {
                if (pattern[i] != 0) {
                    for (int c = 0; c < 3; c++) out[i * 3 + c] += (float) (d * pattern[i] * n[i * 3 + c]);
                }
            }
        }
        return out;
    }

    /** Each fold's spatial pattern [folds][Vd] on the face and lips, faded to 0 at their border. */
    private static float[][] patterns(Identity identity, NeutralMesh mesh) {
        FaceFrame face = FaceFrame.of(mesh);
        float[] p = mesh.vertices();
        int[] regions = mesh.regions();
        // Fade to 0 at the border of the face+lips area, so confinement leaves no step.
        double[] border = mesh.distanceTo(Regions.SCALP, Regions.EARS, Regions.EYES, Regions.NECK, Regions.SHOULDERS);
        FoldPatterns shapes = new FoldPatterns(identity, face);
        Fold[] folds = Fold.values();
        float[][] patterns = new float[folds.length][regions.length];
        for (int i = 0; i < regions.length; i++) {
            if (regions[i] != Regions.FACE && regions[i] != Regions.LIPS) {
                continue;
            }
            double[] x = {p[i * 3], p[i * 3 + 1], p[i * 3 + 2]};
            double fade = Smooth.step(0, 0.004, border[i]);
            for (Fold f : folds) {
                patterns[f.ordinal()][i] = (float) (fade * shapes.pattern(f, x));
            }
        }
        return patterns;
    }

    /**
     * @param expression [E] expression coefficients of one frame (ARKit-style, 0..1)
     * @param jawPose [3] axis-angle of the jaw joint, radians
     * @return expressionOffsets D_exp [Vd, 3], metres; exactly 0 outside the face and lips, and everywhere
     *     when all coefficients and the jaw pose are 0
     */
    public float[] evaluate(float[] expression, float[] jawPose) {
        double jawOpen = Smooth.step(0, JAW_FULL, Math.sqrt(jawPose[0] * jawPose[0] + jawPose[1] * jawPose[1] + jawPose[2] * jawPose[2]));
        float[] out = new float[normals.length];
        for (Fold f : Fold.values()) {
            double a = drivers.activation(f, expression, jawOpen);
            if (a == 0) {
                continue; // keeps the neutral field exactly +0
            }
            double amp = depths[f.ordinal()] * a * a * (3 - 2 * a);
            float[] pattern = patterns[f.ordinal()];
            for (int i = 0; i < pattern.length; i++) {
                if (pattern[i] != 0) {
                    for (int c = 0; c < 3; c++) out[i * 3 + c] += (float) (amp * pattern[i] * normals[i * 3 + c]);
                }
            }
        }
        return out;
    }

    /** Which expression coefficients (by name) drive each fold. */
    private static final class Drivers {
        private final List<String> names;

        Drivers(List<String> names) {
            this.names = names;
        }

        double activation(Fold f, float[] e, double jawOpen) {
            return switch (f) {
                case FOREHEAD_R -> Smooth.softMax(c(e, "browInnerUp"), c(e, "browOuterUpRight"));
                case FOREHEAD_L -> Smooth.softMax(c(e, "browInnerUp"), c(e, "browOuterUpLeft"));
                case GLABELLA -> Smooth.softMax(c(e, "browDownLeft"), c(e, "browDownRight"));
                case CROW_R -> Smooth.softMax(c(e, "mouthSmileRight"), c(e, "cheekSquintRight"));
                case CROW_L -> Smooth.softMax(c(e, "mouthSmileLeft"), c(e, "cheekSquintLeft"));
                case NASOLABIAL_R -> Smooth.softMax(c(e, "mouthSmileRight"), c(e, "mouthUpperUpRight"), 0.5 * jawOpen);
                case NASOLABIAL_L -> Smooth.softMax(c(e, "mouthSmileLeft"), c(e, "mouthUpperUpLeft"), 0.5 * jawOpen);
                case CHIN -> Smooth.softMax(c(e, "mouthPressLeft"), c(e, "mouthPressRight"),
                        c(e, "mouthFrownLeft"), c(e, "mouthFrownRight"));
                // An open jaw stretches the lips and smooths their creases.
                case LIP_LINES -> Smooth.softMax(c(e, "mouthPucker"), c(e, "mouthFunnel")) * (1 - 0.6 * jawOpen);
                case PUFF_R, PUFF_L -> Smooth.softMax(c(e, "cheekPuff"));
            };
        }

        /** The coefficient named {@code name}, clamped to [0, 1]; 0 when the model has no such direction. */
        private double c(float[] e, String name) {
            int k = names.indexOf(name);
            return k < 0 ? 0 : Smooth.clamp(e[k], 0, 1);
        }
    }

    /** The identity's spatial fold patterns: negative values are grooves (inward), positive are bulges. */
    private static final class FoldPatterns {
        private final Identity id;
        private final FaceFrame face;

        FoldPatterns(Identity id, FaceFrame face) {
            this.id = id;
            this.face = face;
        }

        double pattern(Fold f, double[] x) {
            return switch (f) {
                case FOREHEAD_R -> forehead(x) * (1 - Smooth.step(-0.015, 0.015, x[0]));
                case FOREHEAD_L -> forehead(x) * Smooth.step(-0.015, 0.015, x[0]);
                case GLABELLA -> glabella(x);
                case CROW_R -> crowsFeet(x, 0);
                case CROW_L -> crowsFeet(x, 1);
                case NASOLABIAL_R -> nasolabial(x, 0);
                case NASOLABIAL_L -> nasolabial(x, 1);
                case CHIN -> chin(x);
                case LIP_LINES -> lipLines(x);
                case PUFF_R -> puff(x, 0);
                case PUFF_L -> puff(x, 1);
            };
        }

        /** Horizontal creases over a forehead band scaled to the face height, bending up towards the temples. */
        private double forehead(double[] x) {
            double bottom = face.browTop() + 0.004;
            double span = 0.18 * face.faceHeight();
            double s = (x[1] - id.creaseCurvature() * x[0] * x[0] - bottom) / span;
            double halfWidth = 0.5 * Math.abs(face.eyeOuter()[1][0] - face.eyeOuter()[0][0]) + 0.005;
            double window = Smooth.window(0, 0.1, 0.85, 1.05, s) * (1 - Smooth.step(0.7 * halfWidth, halfWidth, Math.abs(x[0])));
            return -Smooth.groove(2 * Math.PI * id.foreheadCreases() * s + id.creasePhase(), 3) * window;
        }

        /** Two vertical frown lines between the brows. */
        private double glabella(double[] x) {
            double[] c = face.innerBrows();
            double gap = 0.0035 + 0.0015 * Math.cos(id.creasePhase());
            double dy = x[1] - (c[1] - 0.003);
            return -Smooth.gauss(Math.abs(x[0] - c[0]) - gap, 0.0012) * Smooth.window(-0.012, -0.006, 0.008, 0.014, dy);
        }

        /** Creases fanning out from the outer eye corner, scaled to the eye. */
        private double crowsFeet(double[] x, int side) {
            double[] c = face.eyeOuter()[side];
            double k = face.eyeWidth() / 0.028;
            double dx = (x[0] - c[0]) * FaceFrame.outward(side), dy = x[1] - c[1];
            double r = Math.hypot(dx, dy), theta = Math.atan2(dy, dx);
            double window = Smooth.window(0.003 * k, 0.007 * k, 0.016 * k, 0.024 * k, r)
                    * Smooth.step(-0.002, 0.003, dx) * (1 - Smooth.step(0.8, 1.2, Math.abs(theta)));
            return -Smooth.groove(2 * Math.PI * theta / 0.3 + id.creasePhase(), 4) * window;
        }

        /** The fold from the nose wing past the mouth corner, with the cheek bulging over it. */
        private double nasolabial(double[] x, int side) {
            double out = FaceFrame.outward(side);
            double[] a = face.noseWing()[side].clone(), b = face.mouthCorner()[side].clone();
            a[0] += 0.003 * out;
            b[0] += 0.004 * out;
            double ex = 1.35 * (b[0] - a[0]), ey = 1.35 * (b[1] - a[1]);
            double len2 = ex * ex + ey * ey;
            double t = ((x[0] - a[0]) * ex + (x[1] - a[1]) * ey) / len2;
            // Signed distance from the fold line, positive towards the cheek (outward normal of the line).
            double len = Math.sqrt(len2), nx = -ey / len, ny = ex / len;
            if (nx * out < 0) {
                nx = -nx;
                ny = -ny;
            }
            double d = (x[0] - a[0]) * nx + (x[1] - a[1]) * ny;
            double profile = -Smooth.gauss(d, 0.0022) + 0.35 * Smooth.gauss(d - 0.005, 0.004);
            return profile * Smooth.window(-0.1, 0.1, 0.85, 1.0, t);
        }

        /** Orange-peel dimpling over the chin. */
        private double chin(double[] x) {
            double[] c = FaceFrame.lerp(face.chin(), face.lowerLip(), 0.45);
            double rx = 0.4 * face.mouthWidth(), ry = 0.35 * Math.abs(face.lowerLip()[1] - face.chin()[1]);
            double dx = x[0] - c[0], dy = x[1] - c[1];
            double e = dx * dx / (rx * rx) + dy * dy / (ry * ry);
            double period = 0.0045;
            double g = (0.5 + 0.5 * Math.cos(2 * Math.PI * dx / period + id.creasePhase()))
                    * (0.5 + 0.5 * Math.cos(2 * Math.PI * dy / period + 1.7 * id.creasePhase()));
            return -g * (1 - Smooth.step(0.5, 1.0, e));
        }

        /** Vertical creases across the lips and just around them (puckering). */
        private double lipLines(double[] x) {
            double[] m = face.mouthCentre();
            double halfWidth = 0.5 * face.mouthWidth();
            double period = face.mouthWidth() / 12;
            double dx = x[0] - m[0], dy = x[1] - m[1];
            double window = (1 - Smooth.step(0.75, 1.05, Math.abs(dx) / halfWidth)) * (1 - Smooth.step(0.010, 0.016, Math.abs(dy)));
            return -Smooth.groove(2 * Math.PI * dx / period + id.creasePhase(), 4) * window;
        }

        /** A broad bulge of the cheek between the mouth corner and the jaw. */
        private double puff(double[] x, int side) {
            double[] c = FaceFrame.lerp(face.mouthCorner()[side], face.jaw()[side], 0.45);
            return Smooth.gauss(FaceFrame.dist(x, c), 0.018);
        }
    }
}
