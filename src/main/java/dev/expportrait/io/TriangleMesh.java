package dev.expportrait.io;

/**
 * A triangle mesh for export, validated on construction.
 *
 * @param positions [V, 3] metres
 * @param faces [F, 3] vertex indices, counter-clockwise seen from outside
 * @param normals [V, 3] unit normals, or null
 * @param uvs [V, 2] texture coordinates per vertex (glTF convention: v runs down the image), or null
 * @param colors [V, 3] linear RGB in [0, 1], or null
 */
public record TriangleMesh(float[] positions, int[] faces, float[] normals, float[] uvs, float[] colors) {

    public TriangleMesh {
        if (positions.length % 3 != 0 || faces.length % 3 != 0) {
            throw new IllegalArgumentException("positions and faces must hold triples, got " + positions.length + " and " + faces.length);
        }
        int v = positions.length / 3;
        requireFinite("positions", positions);
        checkPerVertex("normals", normals, v, 3);
        checkPerVertex("uvs", uvs, v, 2);
        checkPerVertex("colors", colors, v, 3);
        for (int i = 0; i < faces.length; i++) {
            if (faces[i] < 0 || faces[i] >= v) {
                throw new InputException("mesh face " + i / 3 + " names vertex " + faces[i] + ", outside 0.." + (v - 1));
            }
        }
    }

    public int numVertices() {
        return positions.length / 3;
    }

    public int numFaces() {
        return faces.length / 3;
    }

    /** Throws an InputException naming the array and the first non-finite value's index. */
    static void requireFinite(String what, float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new InputException("mesh " + what + " has a non-finite value (" + x[i] + ") at index " + i + " (vertex " + i / 3 + ")");
            }
        }
    }

    private static void checkPerVertex(String what, float[] x, int v, int width) {
        if (x == null) {
            return;
        }
        if (x.length != v * width) {
            throw new IllegalArgumentException("mesh " + what + ": expected " + v + " x " + width + " values, got " + x.length);
        }
        requireFinite(what, x);
    }
}
