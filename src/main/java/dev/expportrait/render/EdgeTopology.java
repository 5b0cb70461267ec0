package dev.expportrait.render;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Which face lies across each edge of each face, for {@link Antialias} to tell silhouette edges from
 * interior ones (nvdiffrast's topology hash). Build it once per face list and reuse it for every frame.
 *
 * @param faces [F, 3] vertex indices
 * @param across [F * 3] the face on the other side of edge (corner k, corner k + 1) of face f at 3 f + k;
 *     -1 for a boundary edge, and for every edge of three or more faces (treated as boundary)
 */
public record EdgeTopology(int[] faces, int[] across) {

    /** The adjacency of {@code faces} [F, 3]. */
    public static EdgeTopology of(int[] faces) {
        // Per undirected edge: {first half-edge, second half-edge, number of half-edges}; half-edge h = 3 f + k.
        Map<Long, int[]> edges = new HashMap<>(faces.length * 2);
        for (int h = 0; h < faces.length; h++) {
            int[] e = edges.computeIfAbsent(key(faces, h), k -> new int[] {-1, -1, 0});
            if (e[2] < 2) {
                e[e[2]] = h;
            }
            e[2]++;
        }
        int[] across = new int[faces.length];
        Arrays.fill(across, -1);
        for (int[] e : edges.values()) {
            if (e[2] == 2) {
                across[e[0]] = e[1] / 3;
                across[e[1]] = e[0] / 3;
            }
        }
        return new EdgeTopology(faces, across);
    }

    private static long key(int[] faces, int h) {
        int a = faces[h];
        int b = faces[h - h % 3 + (h % 3 + 1) % 3];
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }
}
