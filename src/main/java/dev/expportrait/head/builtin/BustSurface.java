package dev.expportrait.head.builtin;

/**
 * The bust as a structured grid: a pole vertex at the crown, then {@code rows} rings of {@code cols} vertices
 * down to the bottom cut, which is the only boundary loop.
 *
 * <p>Shapes: {@code vertices} [V, 3] (m) with the features applied; {@code points} [V] the undisplaced surface
 * points; {@code faces} [F, 3] counter-clockwise seen from outside; {@code uvs} [Vt, 2] and {@code uvFaces} [F, 3]
 * cylindrical with the seam at the back; {@code mirror} [V] the index of each vertex's left-right mirror image.
 */
record BustSurface(double[] vertices, SurfacePoint[] points, int[] faces, float[] uvs, int[] uvFaces, int[] mirror,
                   int rows, int cols) {

    int numVertices() {
        return points.length;
    }

    /** Index of the grid vertex in ring {@code row} (1..rows) and column {@code col} (0..cols-1); 0 is the pole. */
    static int index(int row, int col, int cols) {
        return 1 + (row - 1) * cols + col;
    }
}
