package dev.expportrait.head.builtin;

/**
 * Key profiles of the built-in bust: the midline front and back curves and the side curve, sampled at matching
 * knots from the crown (knot 0) to the bottom cut (last knot), in metres.
 *
 * <p>Knot k is the same anatomical level in every profile (brow, eye, mouth, chin, under the jaw, neck, shoulder),
 * so blending the profiles around the vertical axis gives a surface whose rows follow the anatomy: the front row
 * of the chin turns under the jaw while the side row follows the jaw angle. The frame is SMPL-X's, with the base
 * of the neck at y = 0 and the crown at y = 0.325.
 */
final class BustProfiles {
    private BustProfiles() {}

    /** One blended level: front and back z and height on the midline, side half-width and height, squareness. */
    record Level(double zFront, double yFront, double xSide, double ySide, double zBack, double yBack,
                 double exponent, double spacing) {}

    // zFront, yFront | xSide, ySide | zBack, yBack | superellipse exponent | target row spacing (m)
    private static final double[][] KNOTS = {
            {-0.010, 0.325, 0.000, 0.325, -0.010, 0.325, 2.0, 0.0130}, //  0 crown (pole)
            {0.045, 0.315, 0.050, 0.313, -0.065, 0.312, 2.0, 0.0120}, //  1
            {0.075, 0.295, 0.068, 0.295, -0.088, 0.290, 2.1, 0.0100}, //  2
            {0.092, 0.265, 0.077, 0.265, -0.100, 0.255, 2.2, 0.0070}, //  3 hairline
            {0.099, 0.245, 0.079, 0.245, -0.102, 0.225, 2.2, 0.0046}, //  4 forehead
            {0.100, 0.228, 0.079, 0.228, -0.100, 0.200, 2.2, 0.0034}, //  5 brow
            {0.096, 0.212, 0.077, 0.212, -0.095, 0.180, 2.2, 0.0030}, //  6 eyes
            {0.095, 0.190, 0.075, 0.190, -0.088, 0.160, 2.2, 0.0036}, //  7 cheekbones
            {0.094, 0.160, 0.070, 0.165, -0.078, 0.140, 2.2, 0.0033}, //  8 nose base
            {0.092, 0.137, 0.064, 0.145, -0.068, 0.125, 2.2, 0.0030}, //  9 mouth
            {0.088, 0.112, 0.060, 0.125, -0.062, 0.110, 2.1, 0.0036}, // 10 chin / jaw angle
            {0.076, 0.095, 0.055, 0.107, -0.060, 0.095, 2.0, 0.0045}, // 11 menton
            {0.055, 0.090, 0.052, 0.097, -0.059, 0.080, 2.0, 0.0060}, // 12 under the chin
            {0.044, 0.080, 0.056, 0.085, -0.060, 0.065, 2.0, 0.0090}, // 13 throat
            {0.045, 0.050, 0.060, 0.055, -0.063, 0.045, 2.0, 0.0120}, // 14 neck
            {0.050, 0.015, 0.066, 0.035, -0.070, 0.020, 2.0, 0.0120}, // 15 lower neck
            {0.058, -0.015, 0.092, 0.021, -0.082, 0.000, 2.2, 0.0130}, // 16 neck base, sternal notch
            {0.077, -0.040, 0.140, 0.002, -0.095, -0.030, 2.5, 0.0160}, // 17 trapezius, upper chest
            {0.090, -0.070, 0.182, -0.020, -0.100, -0.060, 2.7, 0.0180}, // 18 acromion
            {0.100, -0.110, 0.204, -0.058, -0.100, -0.100, 2.7, 0.0200}, // 19 deltoid
            {0.105, -0.150, 0.206, -0.115, -0.098, -0.140, 2.7, 0.0200}, // 20 chest
            {0.105, -0.180, 0.198, -0.180, -0.095, -0.180, 2.7, 0.0200}, // 21 bottom cut
    };

    /** Knot indices named for the rest of the generator. */
    static final int CHIN_UNDERSIDE = 12;
    static final int NECK_BASE = 16;

    static int lastKnot() {
        return KNOTS.length - 1;
    }

    /** The bottom cut height (m). */
    static double bottomY() {
        return KNOTS[lastKnot()][1];
    }

    /** The blended level at knot parameter {@code t} in [0, lastKnot()]: Catmull-Rom in positions, linear else. */
    static Level at(double t) {
        int k = Math.min((int) Math.floor(t), lastKnot() - 1);
        double u = t - k;
        double[] out = new double[8];
        for (int c = 0; c < 6; c++) {
            out[c] = catmullRom(knot(k - 1, c), knot(k, c), knot(k + 1, c), knot(k + 2, c), u);
        }
        for (int c = 6; c < 8; c++) {
            out[c] = (1 - u) * KNOTS[k][c] + u * KNOTS[k + 1][c];
        }
        return new Level(out[0], out[1], Math.max(0, out[2]), out[3], out[4], out[5], out[6], out[7]);
    }

    /**
     * Coordinate c of knot k, with phantom knots beyond both ends: above the crown each profile continues into
     * the opposite one (front into back, side into the mirrored side) so the crown is a smooth dome, not a cone.
     */
    private static double knot(int k, int c) {
        if (k < 0) {
            double[] first = KNOTS[1];
            return switch (c) {
                case 0 -> first[4];
                case 1 -> first[5];
                case 2 -> -first[2];
                case 4 -> first[0];
                case 5 -> first[1];
                default -> first[c];
            };
        }
        return KNOTS[Math.min(k, lastKnot())][c];
    }

    private static double catmullRom(double p0, double p1, double p2, double p3, double u) {
        double u2 = u * u;
        double u3 = u2 * u;
        return 0.5 * (2 * p1 + (-p0 + p2) * u + (2 * p0 - 5 * p1 + 4 * p2 - p3) * u2 + (-p0 + 3 * p1 - 3 * p2 + p3) * u3);
    }
}
