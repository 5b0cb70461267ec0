package dev.expportrait.head.builtin;

/**
 * Where the facial features of the built-in head are, in metres in the model frame (x to the subject's left,
 * y up with the base of the neck at 0). Values are for the left side (x > 0); the right side mirrors them.
 * Features, skinning, blend shapes, regions and landmarks all read this one layout.
 */
final class FaceLayout {
    private FaceLayout() {}

    static final double CROWN_Y = 0.325;
    static final double HAIRLINE_Y = 0.264;
    static final double BROW_Y = 0.229;
    static final double NASION_Y = 0.220;

    /** Centre of the palpebral fissure (eye opening) and its half-width and half-height. */
    static final double EYE_X = 0.032;
    static final double EYE_Y = 0.2115;
    static final double OPENING_RX = 0.0145;
    static final double OPENING_RY = 0.0056;
    /** Eyeball centre depth: about 12 mm behind the cornea. */
    static final double EYEBALL_Z = 0.073;

    static final double NOSE_TIP_Y = 0.169;
    static final double SUBNASALE_Y = 0.155;
    static final double ALA_X = 0.0155;
    static final double ALA_Y = 0.160;

    /** Stomion (mouth line) and mouth corner (cheilion). */
    static final double MOUTH_Y = 0.137;
    static final double MOUTH_CORNER_X = 0.025;
    static final double UPPER_LIP_Y = 0.1418;
    static final double LOWER_LIP_Y = 0.1315;

    static final double CHIN_Y = 0.106;

    /** Ear (auricle) centre on the side of the head, half-width (along z) and half-height. */
    static final double EAR_Y = 0.188;
    static final double EAR_Z = -0.012;
    static final double EAR_A = 0.0165;
    static final double EAR_B = 0.031;
    static final double EAR_TILT = Math.toRadians(15);

    /** Squared normalised distance from the left or right eye opening (by the sign of x). */
    static double eyeOpening(double x, double y) {
        return Falloff.ellipse(Math.abs(x), y, EYE_X, EYE_Y, OPENING_RX, OPENING_RY);
    }

    /** Normalised distance from the ear centre on the side of the head, in the tilted ear frame. */
    static double earDistance(double y, double z) {
        double dz = z - EAR_Z;
        double dy = y - EAR_Y;
        double across = dz * Math.cos(EAR_TILT) + dy * Math.sin(EAR_TILT);
        double along = -dz * Math.sin(EAR_TILT) + dy * Math.cos(EAR_TILT);
        return Math.sqrt(Math.pow(across / EAR_A, 2) + Math.pow(along / EAR_B, 2));
    }

    /** 1 on the sides of the head where the ears sit, 0 on the face and the back. */
    static double earSide(SurfacePoint p) {
        return Falloff.smoothstep(0.55, 0.8, Math.abs(Math.sin(p.theta())));
    }

    /** Lip (vermilion) area test on the face. */
    static boolean onLips(double x, double y) {
        return Falloff.ellipse(x, y, 0, UPPER_LIP_Y, 0.0265, 0.0062) < 1
                || Falloff.ellipse(x, y, 0, LOWER_LIP_Y, 0.0245, 0.0062) < 1;
    }
}
