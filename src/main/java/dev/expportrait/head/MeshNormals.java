package dev.expportrait.head;

/** Area-weighted vertex normals of a triangle mesh, on plain arrays (for export; the renderer has its own). */
public final class MeshNormals {
    private MeshNormals() {}

    /**
     * @param positions [V, 3]
     * @param faces [F, 3], counter-clockwise seen from outside
     * @return [V, 3] unit normals (zero for unused vertices)
     */
    public static float[] vertexNormals(float[] positions, int[] faces) {
        double[] acc = new double[positions.length];
        for (int f = 0; f < faces.length / 3; f++) {
            int a = faces[f * 3] * 3, b = faces[f * 3 + 1] * 3, c = faces[f * 3 + 2] * 3;
            double ux = positions[b] - positions[a], uy = positions[b + 1] - positions[a + 1], uz = positions[b + 2] - positions[a + 2];
            double vx = positions[c] - positions[a], vy = positions[c + 1] - positions[a + 1], vz = positions[c + 2] - positions[a + 2];
            // The cross product's length is twice the area: summing it weights faces by area.
            double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
            for (int k : new int[] {a, b, c}) {
                acc[k] += nx;
                acc[k + 1] += ny;
                acc[k + 2] += nz;
            }
        }
        float[] out = new float[positions.length];
        for (int i = 0; i < out.length; i += 3) {
            double len = Math.sqrt(acc[i] * acc[i] + acc[i + 1] * acc[i + 1] + acc[i + 2] * acc[i + 2]);
            if (len > 0) {
                out[i] = (float) (acc[i] / len);
                out[i + 1] = (float) (acc[i + 1] / len);
                out[i + 2] = (float) (acc[i + 2] / len);
            }
        }
        return out;
    }
}
