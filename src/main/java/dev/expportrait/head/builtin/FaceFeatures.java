package dev.expportrait.head.builtin;

/**
 * The facial feature heightfield: displacement (m) along the surface normal of the undisplaced bust, as a sum
 * of smooth bumps and creases in face coordinates (x, y), plus the ears on the sides of the head.
 */
final class FaceFeatures {
    private FaceFeatures() {}

    /** An elliptical bump of the feature table: centre (x, y) on the left side (mirrored), radii, height (m). */
    private record Bump(String part, double x, double y, double rx, double ry, double height) {}

    private static final Bump[] BUMPS = {
            new Bump("brow ridge", 0.030, FaceLayout.BROW_Y, 0.036, 0.012, 0.0060),
            new Bump("glabella", 0.000, 0.227, 0.016, 0.012, 0.0025),
            new Bump("nasion", 0.000, FaceLayout.NASION_Y, 0.012, 0.008, -0.0030),
            new Bump("temple", 0.068, 0.232, 0.022, 0.025, -0.0030),
            new Bump("eye socket", FaceLayout.EYE_X, 0.2125, 0.026, 0.020, -0.0125),
            new Bump("eyeball", FaceLayout.EYE_X, FaceLayout.EYE_Y, 0.017, 0.013, 0.0080),
            new Bump("upper eyelid", FaceLayout.EYE_X, 0.2175, 0.018, 0.0055, 0.0016),
            new Bump("upper lid crease", FaceLayout.EYE_X + 0.001, 0.2228, 0.016, 0.0028, -0.0016),
            new Bump("lower eyelid", FaceLayout.EYE_X, 0.2050, 0.016, 0.0035, 0.0010),
            new Bump("cheekbone", 0.054, 0.192, 0.028, 0.024, 0.0035),
            new Bump("cheek", 0.045, 0.160, 0.028, 0.025, 0.0030),
            new Bump("cheek hollow", 0.058, 0.152, 0.020, 0.022, -0.0012),
            new Bump("nose tip", 0.000, FaceLayout.NOSE_TIP_Y - 0.0005, 0.0095, 0.0085, 0.0040),
            new Bump("ala", FaceLayout.ALA_X, FaceLayout.ALA_Y, 0.0078, 0.0072, 0.0065),
            new Bump("nostril", 0.0075, 0.1565, 0.0042, 0.0028, -0.0035),
            new Bump("philtrum", 0.000, 0.1495, 0.0050, 0.0060, -0.0014),
            new Bump("philtral column", 0.0055, 0.1495, 0.0030, 0.0060, 0.0008),
            new Bump("dental arch", 0.000, 0.1390, 0.036, 0.026, 0.0060),
            new Bump("upper lip", 0.000, FaceLayout.UPPER_LIP_Y, 0.0265, 0.0075, 0.0030),
            new Bump("lower lip", 0.000, FaceLayout.LOWER_LIP_Y, 0.0245, 0.0075, 0.0035),
            new Bump("mouth line", 0.000, FaceLayout.MOUTH_Y, 0.0270, 0.0036, -0.0040),
            new Bump("mentolabial sulcus", 0.000, 0.1195, 0.020, 0.0045, -0.0025),
            new Bump("chin", 0.000, FaceLayout.CHIN_Y, 0.022, 0.017, 0.0075),
            new Bump("nasolabial fold", 0.030, 0.150, 0.006, 0.016, -0.0012),
            new Bump("sternal notch", 0.000, -0.012, 0.018, 0.014, -0.0040),
            new Bump("laryngeal prominence", 0.000, 0.060, 0.010, 0.016, 0.0030),
    };

    private static final Bump CLAVICLE = new Bump("clavicle", 0.085, -0.018, 0.070, 0.010, 0.0045);

    /** Feature displacement (m) along the normal at an undisplaced surface point. */
    static double height(SurfacePoint p) {
        return p.frontness() * face(Math.abs(p.x()), p.y(), p.t()) + ear(p);
    }

    private static double face(double ax, double y, double t) {
        double h = nose(ax, y);
        for (Bump b : BUMPS) {
            h += bumpAt(b, ax, y);
        }
        // The clavicle bump lies on the chest: keep it off the jaw rows above it.
        if (t > BustProfiles.NECK_BASE - 1) {
            h += bumpAt(CLAVICLE, ax, y + 0.1 * ax);
        }
        return h;
    }

    private static double bumpAt(Bump b, double ax, double y) {
        double g = Falloff.bump(ax, y, b.x(), b.y(), b.rx(), b.ry());
        if (b.x() != 0) {
            g += Falloff.bump(-ax, y, b.x(), b.y(), b.rx(), b.ry());
        }
        return b.height() * g;
    }

    /**
     * The nose ridge: height grows from the nasion to the tip (about 21 mm above the face), then rounds off
     * under the tip to the subnasale; it widens from the bridge to the alae.
     */
    static double nose(double ax, double y) {
        double top = FaceLayout.NASION_Y + 0.004;
        double tip = FaceLayout.NOSE_TIP_Y;
        double base = FaceLayout.SUBNASALE_Y - 0.002;
        if (y >= top || y <= base) {
            return 0;
        }
        double profile;
        if (y >= tip) {
            double u = (top - y) / (top - tip);
            profile = 0.004 * Falloff.smoothstep(0, 0.3, u) + 0.017 * Math.pow(u, 1.3);
        } else {
            double q = (tip - y) / (tip - base);
            profile = 0.021 * Math.pow(1 - q * q, 0.75);
        }
        double u = Math.max(0, Math.min(1, (top - y) / (top - base)));
        double halfWidth = 0.0062 + 0.0095 * u * u;
        double across = ax / halfWidth;
        double section = across >= 1 ? 0 : Math.pow(1 - across * across, 2);
        return profile * section;
    }

    /**
     * The auricle as a heightfield on the side of the head: a shell with a steep outer wall that flares out more
     * at the back, a helix rim, an antihelix ridge and the hollow of the concha in front.
     */
    static double ear(SurfacePoint p) {
        double side = FaceLayout.earSide(p);
        if (side == 0) {
            return 0;
        }
        double d = FaceLayout.earDistance(p.y(), p.z());
        if (d >= 1.1) {
            return 0;
        }
        double back = Falloff.smoothstep(0.02, -0.035, p.z());
        double shell = 1 - Falloff.smoothstep(0.62, 1.05, d);
        double helix = Falloff.bump(Math.pow((d - 0.82) / 0.13, 2));
        double antihelix = Falloff.bump(Math.pow((d - 0.55) / 0.12, 2));
        double concha = Falloff.bump(Math.pow(d / 0.42, 2)) * Falloff.smoothstep(-0.03, 0.0, p.z() - FaceLayout.EAR_Z);
        double h = shell * (0.009 + 0.008 * back) + 0.003 * helix + 0.002 * antihelix - 0.007 * concha;
        return side * h;
    }
}
