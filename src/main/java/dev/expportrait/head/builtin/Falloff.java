package dev.expportrait.head.builtin;

/** Smooth scalar falloffs used to shape features, masks and displacement fields of the built-in head. */
final class Falloff {
    private Falloff() {}

    /** Hermite smoothstep from 0 at {@code e0} to 1 at {@code e1} (also works with {@code e0 > e1}). */
    static double smoothstep(double e0, double e1, double x) {
        double t = Math.max(0, Math.min(1, (x - e0) / (e1 - e0)));
        return t * t * (3 - 2 * t);
    }

    /** Compact C2 bump of a squared normalised distance: 1 at the centre, 0 from {@code d2 = 1} on. */
    static double bump(double d2) {
        if (d2 >= 1) {
            return 0;
        }
        double u = 1 - d2;
        return u * u * u;
    }

    /** Compact bump of an axis-aligned ellipse centred at (cx, cy) with radii (rx, ry). */
    static double bump(double x, double y, double cx, double cy, double rx, double ry) {
        return bump(ellipse(x, y, cx, cy, rx, ry));
    }

    /** Squared normalised distance of (x, y) from an axis-aligned ellipse centre. */
    static double ellipse(double x, double y, double cx, double cy, double rx, double ry) {
        double u = (x - cx) / rx;
        double v = (y - cy) / ry;
        return u * u + v * v;
    }

    /** Smooth sign: -1 well below zero, +1 well above, 0 at zero; {@code width} is the transition half-width. */
    static double smoothSign(double x, double width) {
        return 2 * smoothstep(-width, width, x) - 1;
    }
}
