package dev.expportrait.head.builtin;

/**
 * Puts front-view points onto the mesh: casts a ray along -z at (x, y) and returns the front-most front-facing
 * triangle it hits with the barycentric coordinates of the hit.
 */
final class FrontProjector {
    private FrontProjector() {}

    /** A point on a face: the face index and barycentric weights (non-negative, summing to 1). */
    record Hit(int face, double[] bary) {}

    static Hit project(double[] vertices, int[] faces, double x, double y) {
        Hit best = null;
        double bestZ = Double.NEGATIVE_INFINITY;
        for (int f = 0; f < faces.length / 3; f++) {
            int a = faces[3 * f];
            int b = faces[3 * f + 1];
            int c = faces[3 * f + 2];
            double ax = vertices[3 * a], ay = vertices[3 * a + 1];
            double bx = vertices[3 * b], by = vertices[3 * b + 1];
            double cx = vertices[3 * c], cy = vertices[3 * c + 1];
            double den = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy);
            // Counter-clockwise in the front view means the face looks towards +z.
            if (den <= 1e-14) {
                continue;
            }
            double l0 = ((by - cy) * (x - cx) + (cx - bx) * (y - cy)) / den;
            double l1 = ((cy - ay) * (x - cx) + (ax - cx) * (y - cy)) / den;
            double l2 = 1 - l0 - l1;
            if (l0 < -1e-9 || l1 < -1e-9 || l2 < -1e-9) {
                continue;
            }
            double z = l0 * vertices[3 * a + 2] + l1 * vertices[3 * b + 2] + l2 * vertices[3 * c + 2];
            if (z > bestZ) {
                bestZ = z;
                double[] w = {Math.max(0, l0), Math.max(0, l1), Math.max(0, l2)};
                double s = w[0] + w[1] + w[2];
                best = new Hit(f, new double[] {w[0] / s, w[1] / s, w[2] / s});
            }
        }
        if (best == null) {
            throw new IllegalStateException("no front-facing surface at (" + x + ", " + y + ")");
        }
        return best;
    }
}
