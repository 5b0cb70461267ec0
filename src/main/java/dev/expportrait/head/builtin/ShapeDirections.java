package dev.expportrait.head.builtin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Identity shape directions of the built-in head, in file order: each a smooth, symmetric, local displacement
 * field whose coefficient 1.0 is about one standard deviation of adult variation (a few mm to about 1 cm).
 */
final class ShapeDirections {
    private ShapeDirections() {}

    static Map<String, DisplacementField> all() {
        Map<String, DisplacementField> d = new LinkedHashMap<>();
        d.put("head_width", (p, o) -> set(o, 0.006 * p.x() / 0.079 * Skinning.headGroup(p.t()), 0, 0));
        d.put("head_height", DisplacementField.along(0, 0.008, 0,
                p -> Falloff.smoothstep(0.17, FaceLayout.CROWN_Y, p.y()) * Skinning.headGroup(p.t())));
        d.put("head_depth", DisplacementField.along(0, 0, -0.008,
                p -> Falloff.smoothstep(0.0, -0.1, p.z()) * Skinning.headGroup(p.t())));
        d.put("jaw_width", (p, o) -> set(o, 0.005 * Falloff.smoothSign(p.x(), 0.02)
                * Falloff.smoothstep(0.02, 0.055, Math.abs(p.x())) * lowerFace(p), 0, 0));
        d.put("chin_length", DisplacementField.along(0, -0.006, 0.001,
                p -> p.frontness() * Falloff.bump(p.x(), p.y(), 0, FaceLayout.CHIN_Y, 0.032, 0.028)
                        * Skinning.headGroup(p.t())));
        d.put("nose_length", DisplacementField.along(0, -0.0015, 0.0045,
                p -> p.frontness() * FaceFeatures.nose(Math.abs(p.x()), p.y()) / 0.021));
        d.put("nose_width", (p, o) -> set(o, 0.006 * p.x() / 0.016 * p.frontness()
                * Falloff.bump(p.x(), p.y(), 0, FaceLayout.ALA_Y + 0.004, 0.028, 0.018), 0, 0));
        d.put("cheek_fullness", DisplacementField.normal(p -> 0.005 * p.frontness()
                * Falloff.bump(Math.abs(p.x()), p.y(), 0.048, 0.165, 0.028, 0.03)));
        d.put("brow_ridge", DisplacementField.normal(p -> 0.003 * p.frontness()
                * Falloff.bump(Math.abs(p.x()), p.y(), 0.026, FaceLayout.BROW_Y, 0.04, 0.013)));
        d.put("neck_thickness", (p, o) -> {
            double s = 0.006 * Falloff.smoothstep(BustProfiles.CHIN_UNDERSIDE, BustProfiles.CHIN_UNDERSIDE + 1.5, p.t())
                    * (1 - Falloff.smoothstep(BustProfiles.NECK_BASE - 1, BustProfiles.NECK_BASE + 0.5, p.t()));
            double rx = p.x();
            double rz = p.z() + 0.01;
            double len = Math.max(1e-9, Math.hypot(rx, rz));
            set(o, s * rx / len, 0, s * rz / len);
        });
        d.put("shoulder_width", (p, o) -> set(o, 0.012 * Falloff.smoothSign(p.x(), 0.03)
                * Falloff.smoothstep(0.06, 0.19, Math.abs(p.x())) * Skinning.torso(p.t()), 0, 0));
        return d;
    }

    /** The lower face and the jaw line: below the cheekbones, in front of the ears, down to the chin's underside. */
    private static double lowerFace(SurfacePoint p) {
        return (1 - Falloff.smoothstep(0.125, 0.165, p.y())) * Falloff.smoothstep(-0.02, 0.02, p.z())
                * Skinning.headGroup(p.t());
    }

    static void set(double[] o, double x, double y, double z) {
        o[0] = x;
        o[1] = y;
        o[2] = z;
    }
}
