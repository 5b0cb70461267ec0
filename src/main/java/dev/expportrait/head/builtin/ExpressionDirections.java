package dev.expportrait.head.builtin;

import java.util.ArrayList;
import java.util.List;

/**
 * Expression directions of the built-in head with ARKit blend-shape names. Coefficient 1.0 is the full
 * expression (a blink closes the upper lid over the eye opening, a smile lifts the mouth corner by about 8 mm).
 * Sided directions are written for the subject's left (+x); the builder mirrors them into the right ones.
 */
final class ExpressionDirections {
    private ExpressionDirections() {}

    /** One expression: its name without side, whether it has Left/Right versions, and the (left) field. */
    record Expression(String name, boolean sided, DisplacementField field) {}

    static List<Expression> all() {
        List<Expression> e = new ArrayList<>();
        e.add(new Expression("browInnerUp", false, DisplacementField.along(0, 0.008, 0.0005,
                p -> face(p) * Falloff.bump(Math.abs(p.x()), p.y(), 0.012, 0.236, 0.026, 0.024))));
        e.add(new Expression("browDown", true, DisplacementField.along(-0.002, -0.005, 0.001,
                p -> face(p) * Falloff.bump(p.x(), p.y(), 0.024, 0.232, 0.024, 0.020))));
        e.add(new Expression("browOuterUp", true, DisplacementField.along(0, 0.007, 0,
                p -> face(p) * Falloff.bump(p.x(), p.y(), 0.048, 0.234, 0.024, 0.020))));
        e.add(new Expression("eyeBlink", true, ExpressionDirections::blink));
        e.add(new Expression("eyeWide", true, DisplacementField.along(0, 0.003, 0.0005,
                p -> face(p) * Falloff.bump(p.x(), p.y(), FaceLayout.EYE_X, FaceLayout.EYE_Y + 0.0065, 0.02, 0.009))));
        e.add(new Expression("cheekSquint", true, DisplacementField.along(0, 0.004, 0.0015,
                p -> face(p) * Falloff.bump(p.x(), p.y(), 0.040, 0.190, 0.024, 0.018))));
        e.add(new Expression("noseSneer", true, DisplacementField.along(0.0005, 0.004, -0.001,
                p -> face(p) * leftOf(p) * Falloff.bump(p.x(), p.y(), 0.013, 0.176, 0.012, 0.024))));
        e.add(new Expression("mouthSmile", true, DisplacementField.along(0.004, 0.0065, -0.002,
                p -> face(p) * leftOf(p) * corner(p, 0.139, 0.028, 0.026))));
        e.add(new Expression("mouthFrown", true, DisplacementField.along(0.001, -0.005, -0.001,
                p -> face(p) * leftOf(p) * corner(p, 0.133, 0.022, 0.022))));
        e.add(new Expression("mouthPucker", false, (p, o) -> {
            double s = face(p) * Falloff.bump(p.x(), p.y(), 0, FaceLayout.MOUTH_Y, 0.034, 0.02);
            ShapeDirections.set(o, -0.3 * p.x() * s, 0, 0.008 * s);
        }));
        e.add(new Expression("mouthFunnel", false, (p, o) -> {
            double s = face(p) * Falloff.bump(p.x(), p.y(), 0, FaceLayout.MOUTH_Y, 0.032, 0.02);
            ShapeDirections.set(o, -0.15 * p.x() * s, 0.003 * lipSide(p) * s, 0.006 * s);
        }));
        e.add(new Expression("mouthPress", true, (p, o) -> {
            double s = face(p) * leftOf(p) * Falloff.bump(p.x(), p.y(), 0.012, FaceLayout.MOUTH_Y, 0.022, 0.011);
            ShapeDirections.set(o, 0, -0.0025 * lipSide(p) * s, -0.0015 * s);
        }));
        e.add(new Expression("mouthStretch", true, DisplacementField.along(0.006, -0.003, -0.001,
                p -> face(p) * leftOf(p) * corner(p, 0.135, 0.024, 0.024))));
        e.add(new Expression("cheekPuff", false, DisplacementField.normal(
                p -> 0.008 * face(p) * Falloff.bump(Math.abs(p.x()), p.y(), 0.046, 0.150, 0.028, 0.030))));
        e.add(new Expression("mouthUpperUp", true, DisplacementField.along(0, 0.0045, 0.001,
                p -> face(p) * leftOf(p) * Falloff.bump(p.x(), p.y(), 0.012, 0.146, 0.018, 0.011))));
        e.add(new Expression("mouthLowerDown", true, DisplacementField.along(0, -0.0045, 0.0015,
                p -> face(p) * leftOf(p) * Falloff.bump(p.x(), p.y(), 0.012, 0.128, 0.018, 0.011))));
        e.add(new Expression("mouthDimple", true, DisplacementField.along(0.0015, 0, -0.003,
                p -> face(p) * leftOf(p) * corner(p, FaceLayout.MOUTH_Y, 0.014, 0.014))));
        return e;
    }

    /** Restricts a face-coordinate field to the face rows of the front of the head. */
    private static double face(SurfacePoint p) {
        return p.frontness() * (1 - Falloff.smoothstep(BustProfiles.CHIN_UNDERSIDE - 1, BustProfiles.CHIN_UNDERSIDE, p.t()));
    }

    /** Fades a left-side field out across the midline so it stays on its own side. */
    private static double leftOf(SurfacePoint p) {
        return Falloff.smoothstep(-0.008, 0.008, p.x());
    }

    /** +1 on the upper lip, -1 on the lower lip, smooth across the mouth line. */
    private static double lipSide(SurfacePoint p) {
        return Math.tanh((p.y() - FaceLayout.MOUTH_Y) / 0.003);
    }

    private static double corner(SurfacePoint p, double y, double rx, double ry) {
        return Falloff.bump(p.x(), p.y(), FaceLayout.MOUTH_CORNER_X, y, rx, ry);
    }

    /**
     * The left blink: the upper lid slides down to the lower lid margin. Points in the eye opening are pressed
     * down in proportion to their height in it; above the opening the lid moves by the full opening height,
     * fading out towards the brow so the fold stays monotonic.
     */
    private static void blink(SurfacePoint p, double[] o) {
        double q = (p.x() - FaceLayout.EYE_X) / FaceLayout.OPENING_RX;
        double halfHeight = FaceLayout.OPENING_RY * Math.sqrt(Math.max(0, 1 - q * q));
        double lateral = 1 - Falloff.smoothstep(0.9, 1.5, Math.abs(q));
        double lower = FaceLayout.EYE_Y - halfHeight;
        double upper = FaceLayout.EYE_Y + halfHeight;
        double w;
        if (p.y() <= lower) {
            w = 0;
        } else if (p.y() <= upper) {
            w = (p.y() - lower) / Math.max(1e-9, upper - lower);
        } else {
            w = 1 - Falloff.smoothstep(upper, upper + 0.018, p.y());
        }
        double s = face(p) * lateral * w;
        ShapeDirections.set(o, 0, -2 * halfHeight * s, 0.0015 * s);
    }
}
