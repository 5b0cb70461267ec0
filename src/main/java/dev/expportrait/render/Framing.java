package dev.expportrait.render;

import dev.expportrait.head.PinholeCamera;

/** Cameras that frame a mesh: a portrait shot from the front (+z side of the model), as SMPL-X faces. */
public final class Framing {
    private Framing() {}

    /**
     * A square camera facing the model that fits the bounding box of {@code vertices} [V, 3] (metres)
     * with a margin, at a 20 degree vertical field of view (a mild telephoto, as portraits use).
     */
    public static PinholeCamera portrait(float[] vertices, int size) {
        double[][] box = bounds(vertices);
        double[] lo = box[0], hi = box[1];
        double fov = 20;
        double half = 0.55 * Math.max(hi[0] - lo[0], hi[1] - lo[1]);
        double[] target = {(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2};
        double distance = half / Math.tan(Math.toRadians(fov / 2)) + (hi[2] - lo[2]) / 2;
        return PinholeCamera.facing(target, distance, fov, size, size);
    }

    /** A square close-up facing the model that fits the face landmarks [L, 3] (metres) with room for the forehead. */
    public static PinholeCamera face(float[] landmarks, int size) {
        double[][] box = bounds(landmarks);
        double[] lo = box[0], hi = box[1];
        double fov = 20;
        double half = 0.85 * Math.max(hi[0] - lo[0], hi[1] - lo[1]);
        // The landmarks stop at the brows: aim a little higher so the forehead is in the picture.
        double[] target = {(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2 + 0.2 * (hi[1] - lo[1]), lo[2]};
        return PinholeCamera.facing(target, half / Math.tan(Math.toRadians(fov / 2)) + (hi[2] - lo[2]), fov, size, size);
    }

    /** Axis-aligned bounds {min [3], max [3]} of points [N, 3]. */
    private static double[][] bounds(float[] points) {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < points.length; i += 3) {
            for (int c = 0; c < 3; c++) {
                lo[c] = Math.min(lo[c], points[i + c]);
                hi[c] = Math.max(hi[c], points[i + c]);
            }
        }
        return new double[][] {lo, hi};
    }
}
