package dev.expportrait.synth;

/**
 * Which mesh face covers each texel of a square UV texture, and where in it: the UV triangles rasterised
 * at texel centres, so that a painter can look up the 3-D point and region behind every texel.
 * Texel (column i, row j) has its centre at u = (i + 0.5) / size, v = 1 - (j + 0.5) / size (row 0 at the
 * top, OBJ's v upwards), as the renderer's texture lookup samples it.
 *
 * @param size texture width and height, texels
 * @param face [size * size] the covering face, or -1 where no UV triangle covers the texel
 * @param bary [size * size, 3] barycentric weights of the face's three corners
 */
record UvRaster(int size, int[] face, float[] bary) {

    /**
     * @param uvs [Vt, 2] texture coordinates in [0, 1]
     * @param uvFaces [F, 3] UV indices per face
     */
    static UvRaster of(float[] uvs, int[] uvFaces, int size) {
        int[] face = new int[size * size];
        java.util.Arrays.fill(face, -1);
        float[] bary = new float[size * size * 3];
        for (int f = 0; f < uvFaces.length / 3; f++) {
            // Corners in texel units (x right, y down), so texel centres sit at integer + 0.5.
            double ax = uvs[2 * uvFaces[3 * f]] * size, ay = (1 - uvs[2 * uvFaces[3 * f] + 1]) * size;
            double bx = uvs[2 * uvFaces[3 * f + 1]] * size, by = (1 - uvs[2 * uvFaces[3 * f + 1] + 1]) * size;
            double cx = uvs[2 * uvFaces[3 * f + 2]] * size, cy = (1 - uvs[2 * uvFaces[3 * f + 2] + 1]) * size;
            double area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
            if (Math.abs(area) < 1e-12) {
                continue;
            }
            int x0 = Math.max(0, (int) Math.floor(Math.min(ax, Math.min(bx, cx)) - 0.5));
            int x1 = Math.min(size - 1, (int) Math.ceil(Math.max(ax, Math.max(bx, cx)) - 0.5));
            int y0 = Math.max(0, (int) Math.floor(Math.min(ay, Math.min(by, cy)) - 0.5));
            int y1 = Math.min(size - 1, (int) Math.ceil(Math.max(ay, Math.max(by, cy)) - 0.5));
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    double px = x + 0.5, py = y + 0.5;
                    double wa = ((bx - px) * (cy - py) - (by - py) * (cx - px)) / area;
                    double wb = ((cx - px) * (ay - py) - (cy - py) * (ax - px)) / area;
                    double wc = 1 - wa - wb;
                    // A small tolerance closes the hairline cracks between neighbouring triangles.
                    if (wa >= -1e-6 && wb >= -1e-6 && wc >= -1e-6) {
                        int t = y * size + x;
                        face[t] = f;
                        bary[3 * t] = (float) wa;
                        bary[3 * t + 1] = (float) wb;
                        bary[3 * t + 2] = (float) wc;
                    }
                }
            }
        }
        return new UvRaster(size, face, bary);
    }

    /** The 3-D point behind texel {@code t} on a mesh with vertices [V, 3] and faces [F, 3] ({x, y, z}). */
    double[] point(int t, float[] vertices, int[] faces) {
        double[] p = new double[3];
        int f = face[t];
        for (int k = 0; k < 3; k++) {
            int v = faces[3 * f + k];
            for (int c = 0; c < 3; c++) p[c] += bary[3 * t + k] * vertices[3 * v + c];
        }
        return p;
    }

    /** The region label behind texel {@code t}: that of the face corner nearest to it. */
    int region(int t, int[] regions, int[] faces) {
        int f = face[t], best = 0;
        for (int k = 1; k < 3; k++) {
            if (bary[3 * t + k] > bary[3 * t + best]) best = k;
        }
        return regions[faces[3 * f + best]];
    }
}
