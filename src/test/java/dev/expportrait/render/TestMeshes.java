package dev.expportrait.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small closed meshes for tests, faces counter-clockwise seen from outside. */
final class TestMeshes {
    private TestMeshes() {}

    record Mesh(float[] vertices, int[] faces) {
        int vertexCount() {
            return vertices.length / 3;
        }
    }

    static Mesh octahedron() {
        float[] v = {1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1};
        int[] f = {0, 2, 4, 2, 1, 4, 1, 3, 4, 3, 0, 4, 2, 0, 5, 1, 2, 5, 3, 1, 5, 0, 3, 5};
        return new Mesh(v, f);
    }

    /** Unit icosahedron subdivided {@code levels} times, vertices pushed onto the sphere. */
    static Mesh icosphere(int levels) {
        double g = (1 + Math.sqrt(5)) / 2;
        List<double[]> v = new ArrayList<>();
        double[][] base = {{-1, g, 0}, {1, g, 0}, {-1, -g, 0}, {1, -g, 0}, {0, -1, g}, {0, 1, g}, {0, -1, -g}, {0, 1, -g},
                {g, 0, -1}, {g, 0, 1}, {-g, 0, -1}, {-g, 0, 1}};
        for (double[] p : base) {
            v.add(unit(p));
        }
        int[] f = {0, 11, 5, 0, 5, 1, 0, 1, 7, 0, 7, 10, 0, 10, 11, 1, 5, 9, 5, 11, 4, 11, 10, 2, 10, 7, 6, 7, 1, 8,
                3, 9, 4, 3, 4, 2, 3, 2, 6, 3, 6, 8, 3, 8, 9, 4, 9, 5, 2, 4, 11, 6, 2, 10, 8, 6, 7, 9, 8, 1};
        for (int l = 0; l < levels; l++) {
            Map<Long, Integer> mid = new HashMap<>();
            int[] next = new int[f.length * 4];
            for (int t = 0; t < f.length / 3; t++) {
                int a = f[3 * t], b = f[3 * t + 1], c = f[3 * t + 2];
                int ab = midpoint(v, mid, a, b), bc = midpoint(v, mid, b, c), ca = midpoint(v, mid, c, a);
                int[] four = {a, ab, ca, b, bc, ab, c, ca, bc, ab, bc, ca};
                System.arraycopy(four, 0, next, 12 * t, 12);
            }
            f = next;
        }
        float[] out = new float[v.size() * 3];
        for (int i = 0; i < v.size(); i++) {
            for (int k = 0; k < 3; k++) {
                out[3 * i + k] = (float) v.get(i)[k];
            }
        }
        return new Mesh(out, f);
    }

    private static int midpoint(List<double[]> v, Map<Long, Integer> mid, int a, int b) {
        long key = ((long) Math.min(a, b) << 32) | Math.max(a, b);
        return mid.computeIfAbsent(key, k -> {
            double[] p = v.get(a), q = v.get(b);
            v.add(unit(new double[] {p[0] + q[0], p[1] + q[1], p[2] + q[2]}));
            return v.size() - 1;
        });
    }

    private static double[] unit(double[] p) {
        double n = Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
        return new double[] {p[0] / n, p[1] / n, p[2] / n};
    }

    /** Vertices scaled by {@code scale} and moved by {@code offset}. */
    static float[] placed(float[] v, double scale, double... offset) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * scale + offset[i % 3]);
        }
        return out;
    }
}
