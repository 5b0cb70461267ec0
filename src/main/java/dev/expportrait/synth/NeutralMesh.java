package dev.expportrait.synth;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.MeshNormals;
import dev.expportrait.head.SurfacePoints;
import dev.expportrait.tensor.Tensors;
import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * An identity's dense canonical neutral mesh U M_neutral(beta) with what the detail fields measure on it:
 * vertex normals, region labels, landmarks and geodesic distances to regions. Vd dense vertices, metres.
 * Not thread-safe (the edge adjacency is built on first use); use one per thread.
 */
public final class NeutralMesh {
    private final float[] vertices;
    private final float[] normals;
    private final int[] faces;
    private final int[] regions;
    private final float[] landmarks;
    private int[] adjacencyStart;
    private int[] adjacency;

    private NeutralMesh(float[] vertices, int[] faces, int[] regions, SurfacePoints points) {
        this.vertices = vertices;
        this.faces = faces;
        this.regions = regions;
        this.normals = MeshNormals.vertexNormals(vertices, faces);
        this.landmarks = evaluate(points, vertices);
    }

    /** The neutral mesh of {@code identity}'s shape on {@code head}, which must have region labels. */
    public static NeutralMesh of(Identity identity, DenseHead head) {
        int[] regions = head.regions();
        if (regions == null) {
            throw new IllegalArgumentException("model " + head.model().name() + " has no region labels");
        }
        float[] v = Tensors.toFloats(head.neutral(identity.betaRow()));
        return new NeutralMesh(v, head.faces(), regions, head.landmarks());
    }

    public int numVertices() {
        return vertices.length / 3;
    }

    /** Neutral vertices [Vd, 3], metres. */
    public float[] vertices() {
        return vertices;
    }

    /** Unit vertex normals [Vd, 3]. */
    public float[] normals() {
        return normals;
    }

    /** Region labels [Vd], indices into {@code Regions.NAMES}. */
    public int[] regions() {
        return regions;
    }

    /** The model's landmarks on this mesh [L, 3] (68 iBUG points for the built-in head). */
    public float[] landmarks() {
        return landmarks;
    }

    /** Landmark {@code l} as {x, y, z}. */
    double[] landmark(int l) {
        return new double[] {landmarks[l * 3], landmarks[l * 3 + 1], landmarks[l * 3 + 2]};
    }

    /**
     * Geodesic distance along mesh edges (metres) from every vertex to the nearest vertex whose region is
     * in {@code sources} (0 on those). Smooth away from the sources, so fields can fade out at region borders.
     */
    double[] distanceTo(int... sources) {
        buildAdjacency();
        int n = numVertices();
        double[] dist = new double[n];
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        PriorityQueue<double[]> queue = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
        for (int i = 0; i < n; i++) {
            for (int s : sources) {
                if (regions[i] == s) {
                    dist[i] = 0;
                    queue.add(new double[] {0, i});
                }
            }
        }
        while (!queue.isEmpty()) {
            double[] top = queue.poll();
            int i = (int) top[1];
            if (top[0] > dist[i]) {
                continue;
            }
            for (int k = adjacencyStart[i]; k < adjacencyStart[i + 1]; k++) {
                int j = adjacency[k];
                double d = dist[i] + edgeLength(i, j);
                if (d < dist[j]) {
                    dist[j] = d;
                    queue.add(new double[] {d, j});
                }
            }
        }
        return dist;
    }

    /**
     * A scalar field [Vd] averaged with its mesh neighbours {@code iterations} times: it rounds off the
     * staircase that triangle-wise region borders leave in distances to them.
     */
    double[] smoothed(double[] field, int iterations) {
        buildAdjacency();
        double[] cur = field.clone(), next = new double[field.length];
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < cur.length; i++) {
                double sum = cur[i];
                int count = 1;
                for (int k = adjacencyStart[i]; k < adjacencyStart[i + 1]; k++) {
                    sum += cur[adjacency[k]];
                    count++;
                }
                next[i] = sum / count;
            }
            double[] swap = cur;
            cur = next;
            next = swap;
        }
        return cur;
    }

    private double edgeLength(int i, int j) {
        double dx = vertices[i * 3] - vertices[j * 3];
        double dy = vertices[i * 3 + 1] - vertices[j * 3 + 1];
        double dz = vertices[i * 3 + 2] - vertices[j * 3 + 2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    private void buildAdjacency() {
        if (adjacency != null) {
            return;
        }
        int n = numVertices();
        int[] degree = new int[n + 1];
        for (int f = 0; f < faces.length; f++) {
            degree[faces[f]] += 2; // each face corner links to the two other corners (edges counted twice: harmless)
        }
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + degree[i];
        int[] fill = start.clone();
        int[] adj = new int[start[n]];
        for (int f = 0; f < faces.length; f += 3) {
            for (int k = 0; k < 3; k++) {
                int a = faces[f + k];
                adj[fill[a]++] = faces[f + (k + 1) % 3];
                adj[fill[a]++] = faces[f + (k + 2) % 3];
            }
        }
        adjacencyStart = start;
        adjacency = adj;
    }

    private static float[] evaluate(SurfacePoints points, float[] v) {
        int l = points.size();
        float[] out = new float[l * 3];
        for (int i = 0; i < l; i++) {
            for (int k = 0; k < 3; k++) {
                int id = points.vertexIds()[i * 3 + k];
                float b = points.bary()[i * 3 + k];
                for (int c = 0; c < 3; c++) out[i * 3 + c] += b * v[id * 3 + c];
            }
        }
        return out;
    }
}
