package dev.expportrait.head;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Combinatorial facts about a triangle mesh given as faces [F, 3]: undirected edges, manifoldness,
 * orientation consistency, connected components and boundary loops. Pure functions over int arrays.
 */
public final class MeshTopology {
    private MeshTopology() {}

    /** Undirected edges [E, 2] (smaller index first) in order of first appearance over faces. */
    public static int[] edges(int[] faces) {
        Map<Long, Integer> seen = new HashMap<>();
        List<int[]> out = new ArrayList<>();
        for (int f = 0; f < faces.length / 3; f++) {
            for (int k = 0; k < 3; k++) {
                int a = faces[f * 3 + k];
                int b = faces[f * 3 + (k + 1) % 3];
                long key = key(a, b);
                if (seen.putIfAbsent(key, out.size()) == null) {
                    out.add(new int[] {Math.min(a, b), Math.max(a, b)});
                }
            }
        }
        int[] e = new int[out.size() * 2];
        for (int i = 0; i < out.size(); i++) {
            e[i * 2] = out.get(i)[0];
            e[i * 2 + 1] = out.get(i)[1];
        }
        return e;
    }

    /** Key of the undirected edge {a, b}. */
    static long key(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }

    /** Summary of the checks a well-formed surface must pass. */
    public record Report(
            int numEdges,
            int nonManifoldEdges,
            int inconsistentEdges,
            int boundaryEdges,
            int boundaryLoops,
            int components,
            int degenerateFaces) {

        /** Every edge has one or two faces, neighbouring faces agree on orientation, no face repeats a vertex. */
        public boolean isOrientedManifold() {
            return nonManifoldEdges == 0 && inconsistentEdges == 0 && degenerateFaces == 0;
        }
    }

    /** Checks the mesh; components count only vertices that some face uses. */
    public static Report check(int[] faces, int numVertices) {
        Map<Long, Integer> directed = new HashMap<>();
        Map<Long, Integer> undirected = new HashMap<>();
        int degenerate = 0;
        int[] parent = new int[numVertices];
        for (int i = 0; i < numVertices; i++) {
            parent[i] = i;
        }
        boolean[] used = new boolean[numVertices];
        for (int f = 0; f < faces.length / 3; f++) {
            int a = faces[f * 3], b = faces[f * 3 + 1], c = faces[f * 3 + 2];
            if (a == b || b == c || a == c) {
                degenerate++;
            }
            for (int k = 0; k < 3; k++) {
                int p = faces[f * 3 + k];
                int q = faces[f * 3 + (k + 1) % 3];
                used[p] = true;
                directed.merge(((long) p << 32) | q, 1, Integer::sum);
                undirected.merge(key(p, q), 1, Integer::sum);
                union(parent, p, q);
            }
        }
        int nonManifold = 0, inconsistent = 0, boundary = 0;
        Map<Integer, Integer> boundaryNext = new HashMap<>();
        for (Map.Entry<Long, Integer> e : undirected.entrySet()) {
            int lo = (int) (e.getKey() >>> 32), hi = (int) (long) e.getKey();
            int count = e.getValue();
            int fwd = directed.getOrDefault(((long) lo << 32) | hi, 0);
            int bwd = directed.getOrDefault(((long) hi << 32) | lo, 0);
            if (count > 2) {
                nonManifold++;
            } else if (count == 2 && (fwd != 1 || bwd != 1)) {
                inconsistent++;
            } else if (count == 1) {
                boundary++;
                if (fwd == 1) {
                    boundaryNext.put(lo, hi);
                } else {
                    boundaryNext.put(hi, lo);
                }
            }
        }
        int components = 0;
        for (int i = 0; i < numVertices; i++) {
            if (used[i] && find(parent, i) == i) {
                components++;
            }
        }
        return new Report(undirected.size(), nonManifold, inconsistent, boundary, countLoops(boundaryNext),
                components, degenerate);
    }

    private static int countLoops(Map<Integer, Integer> next) {
        Map<Integer, Integer> remaining = new HashMap<>(next);
        int loops = 0;
        while (!remaining.isEmpty()) {
            int start = remaining.keySet().iterator().next();
            int v = start;
            while (remaining.containsKey(v)) {
                v = remaining.remove(v);
            }
            loops++;
        }
        return loops;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a), rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
