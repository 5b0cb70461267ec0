package dev.expportrait.head.builtin;

import dev.expportrait.head.Regions;

/**
 * Per-vertex region labels ({@link Regions}): eyeballs where the eye joints drive the surface, lips on the
 * vermilion, ears on the auricles, the face inside the hairline and in front of the ears, the scalp over the rest
 * of the skull, then neck and shoulders (with the chest) by the row's level.
 */
final class RegionLabeler {
    private RegionLabeler() {}

    static int[] labels(SurfacePoint[] points) {
        int[] r = new int[points.length];
        for (int v = 0; v < points.length; v++) {
            r[v] = label(points[v]);
        }
        return r;
    }

    static int label(SurfacePoint p) {
        if (p.t() >= BustProfiles.NECK_BASE - 0.5) {
            return Regions.SHOULDERS;
        }
        if (Skinning.eyeShare(p) > 0.5) {
            return Regions.EYES;
        }
        if (p.frontness() > 0.5 && FaceLayout.onLips(p.x(), p.y())) {
            return Regions.LIPS;
        }
        if (FaceLayout.earSide(p) > 0.5 && FaceLayout.earDistance(p.y(), p.z()) < 1.08) {
            return Regions.EARS;
        }
        if (p.t() >= BustProfiles.CHIN_UNDERSIDE + 0.5 || (p.z() < -0.02 && p.y() < FaceLayout.MOUTH_Y)) {
            return Regions.NECK;
        }
        double deg = Math.toDegrees(Math.abs(p.theta()));
        // The hairline: across the forehead, then down in front of the ears as sideburns.
        boolean face = p.y() < FaceLayout.HAIRLINE_Y - 0.012 * Falloff.smoothstep(25, 55, deg)
                && (deg < 62 || p.y() < 0.165 - 0.0015 * (deg - 62));
        return face ? Regions.FACE : Regions.SCALP;
    }
}
