package dev.expportrait.head.builtin;

/** Test helper: the left-right mirror map of a mesh by nearest neighbour of the x-mirrored vertices. */
final class MeshMirror {
    private MeshMirror() {}

    /** For each vertex, the vertex nearest to its mirror image (x -> -x); uses a coarse hash grid. */
    static int[] of(float[] v) {
        int n = v.length / 3;
        double cell = 0.01;
        java.util.Map<Long, java.util.List<Integer>> grid = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            grid.computeIfAbsent(cellKey(v[3 * i], v[3 * i + 1], v[3 * i + 2], cell), k -> new java.util.ArrayList<>()).add(i);
        }
        int[] mirror = new int[n];
        for (int i = 0; i < n; i++) {
            double x = -v[3 * i], y = v[3 * i + 1], z = v[3 * i + 2];
            int best = -1;
            double bestD = Double.MAX_VALUE;
            long cx = (long) Math.floor(x / cell), cy = (long) Math.floor(y / cell), cz = (long) Math.floor(z / cell);
            for (long dx = -1; dx <= 1; dx++) {
                for (long dy = -1; dy <= 1; dy++) {
                    for (long dz = -1; dz <= 1; dz++) {
                        for (int j : grid.getOrDefault(key(cx + dx, cy + dy, cz + dz), java.util.List.of())) {
                            double d = sq(v[3 * j] - x) + sq(v[3 * j + 1] - y) + sq(v[3 * j + 2] - z);
                            if (d < bestD) {
                                bestD = d;
                                best = j;
                            }
                        }
                    }
                }
            }
            mirror[i] = best;
        }
        return mirror;
    }

    private static long cellKey(double x, double y, double z, double cell) {
        return key((long) Math.floor(x / cell), (long) Math.floor(y / cell), (long) Math.floor(z / cell));
    }

    private static long key(long x, long y, long z) {
        return ((x + 1000) * 2001 + (y + 1000)) * 2001 + (z + 1000);
    }

    private static double sq(double a) {
        return a * a;
    }
}
