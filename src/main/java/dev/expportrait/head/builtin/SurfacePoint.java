package dev.expportrait.head.builtin;

/**
 * Where a vertex sits on the undisplaced bust: position (m), outward unit normal, knot parameter {@code t} of its
 * row (0 at the crown, {@link BustProfiles#lastKnot()} at the bottom cut) and column angle {@code theta}
 * (radians, 0 at the front, positive towards the subject's left, +x).
 *
 * <p>Features, masks and blend shapes are all written in these coordinates, so they stay where the anatomy is
 * however the rows and columns are spaced.
 */
record SurfacePoint(double x, double y, double z, double nx, double ny, double nz, double t, double theta) {

    /** 1 on the face side of the head, fading to 0 from about 55 to 75 degrees off the front. */
    double frontness() {
        return Falloff.smoothstep(0.25, 0.55, Math.cos(theta));
    }
}
