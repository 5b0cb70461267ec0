package dev.expportrait.head;

import dev.expportrait.tensor.Tensors;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The fixed barycentric upsampling operator U of paper Eq. 2: 0, 1 or 2 levels of midpoint subdivision
 * from a coarse mesh (Vc vertices, F faces) to a dense one (Vd = Vc + E per level, 4 F faces per level).
 *
 * <p>U is a sparse [Vd, Vc] matrix whose rows are barycentric weights (non-negative, summing to 1); the
 * first Vc rows are the identity, so coarse vertices are reproduced exactly. It is held in ELL form: every
 * row has {@code width} (column, weight) slots, unused slots pointing at column 0 with weight 0. The same
 * operator applies to any per-vertex quantity: positions, skinning weights, blend shapes, offsets, labels;
 * UVs with seams use an operator built on the UV faces, whose dense faces line up with these.
 * Each child face keeps its parent's orientation, so a consistently oriented mesh stays so.
 */
public final class Upsampler {
    private final int numCoarse;
    private final int levels;
    private final int[] denseFaces;
    private final int width;
    private final int[] columns;
    private final float[] weights;
    private final Map<ScalarType, Tensor[]> tensors = new HashMap<>();

    private Upsampler(int numCoarse, int levels, int[] denseFaces, int width, int[] columns, float[] weights) {
        this.numCoarse = numCoarse;
        this.levels = levels;
        this.denseFaces = denseFaces;
        this.width = width;
        this.columns = columns;
        this.weights = weights;
    }

    /**
     * Builds U for a coarse mesh.
     *
     * @param faces [F, 3] coarse faces
     * @param numVertices Vc
     * @param levels 0, 1 or 2 (more is allowed, memory grows 4x per level)
     */
    public static Upsampler build(int[] faces, int numVertices, int levels) {
        if (levels < 0) {
            throw new IllegalArgumentException("levels must be >= 0, got " + levels);
        }
        // Rows as sorted (column -> weight) maps, composed level by level.
        @SuppressWarnings("unchecked")
        TreeMap<Integer, Double>[] rows = new TreeMap[numVertices];
        for (int i = 0; i < numVertices; i++) {
            rows[i] = new TreeMap<>(Map.of(i, 1.0));
        }
        int[] current = faces.clone();
        int count = numVertices;
        for (int level = 0; level < levels; level++) {
            int[] edges = MeshTopology.edges(current);
            int numEdges = edges.length / 2;
            Map<Long, Integer> midpoint = new HashMap<>(numEdges * 2);
            @SuppressWarnings("unchecked")
            TreeMap<Integer, Double>[] next = new TreeMap[count + numEdges];
            System.arraycopy(rows, 0, next, 0, count);
            for (int e = 0; e < numEdges; e++) {
                int a = edges[e * 2], b = edges[e * 2 + 1];
                midpoint.put(MeshTopology.key(a, b), count + e);
                TreeMap<Integer, Double> row = new TreeMap<>();
                rows[a].forEach((c, w) -> row.merge(c, 0.5 * w, Double::sum));
                rows[b].forEach((c, w) -> row.merge(c, 0.5 * w, Double::sum));
                next[count + e] = row;
            }
            int[] split = new int[current.length * 4];
            for (int f = 0; f < current.length / 3; f++) {
                int a = current[f * 3], b = current[f * 3 + 1], c = current[f * 3 + 2];
                int ab = midpoint.get(MeshTopology.key(a, b));
                int bc = midpoint.get(MeshTopology.key(b, c));
                int ca = midpoint.get(MeshTopology.key(c, a));
                // Children in a fixed order (corner a, corner b, corner c, centre), see mapSurfacePoint.
                int[] children = {a, ab, ca, ab, b, bc, ca, bc, c, ab, bc, ca};
                System.arraycopy(children, 0, split, f * 12, 12);
            }
            rows = next;
            current = split;
            count += numEdges;
        }
        int width = 1;
        for (TreeMap<Integer, Double> row : rows) {
            width = Math.max(width, row.size());
        }
        int[] cols = new int[count * width];
        float[] ws = new float[count * width];
        for (int r = 0; r < count; r++) {
            int k = 0;
            for (Map.Entry<Integer, Double> e : rows[r].entrySet()) {
                cols[r * width + k] = e.getKey();
                ws[r * width + k] = (float) (double) e.getValue();
                k++;
            }
        }
        return new Upsampler(numVertices, levels, current, width, cols, ws);
    }

    public int numCoarse() {
        return numCoarse;
    }

    public int numDense() {
        return columns.length / width;
    }

    public int levels() {
        return levels;
    }

    /** Dense faces [4^levels F, 3]; face f's children are 4^levels consecutive faces. */
    public int[] denseFaces() {
        return denseFaces.clone();
    }

    /** Non-zero slots per row in the ELL layout. */
    public int width() {
        return width;
    }

    /** Column indices [Vd, width]. */
    public int[] columns() {
        return columns.clone();
    }

    /** Barycentric weights [Vd, width]. */
    public float[] weights() {
        return weights.clone();
    }

    /**
     * U x for a per-vertex quantity.
     *
     * @param coarse [..., Vc, C] float32 or float64, differentiable
     * @return [..., Vd, C]
     */
    public Tensor apply(Tensor coarse) {
        long[] shape = Tensors.shape(coarse);
        int vAxis = shape.length - 2;
        if (shape[vAxis] != numCoarse) {
            throw new IllegalArgumentException("expected " + numCoarse + " coarse vertices on axis " + vAxis + ", got " + shape[vAxis]);
        }
        Tensor[] t = tensorsFor(coarse.scalar_type());
        Tensor gathered = torch.index_select(coarse, vAxis, t[0]); // [..., Vd * width, C]
        long[] split = shape.clone();
        split[vAxis] = numDense();
        long[] withSlots = new long[shape.length + 1];
        System.arraycopy(split, 0, withSlots, 0, vAxis + 1);
        withSlots[vAxis + 1] = width;
        withSlots[vAxis + 2] = shape[shape.length - 1];
        return gathered.reshape(withSlots).mul(t[1]).sum(new long[] {vAxis + 1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
    }

    /** U x for a plain array [Vc, channels], computed in double. */
    public float[] apply(float[] coarse, int channels) {
        if (coarse.length != numCoarse * channels) {
            throw new IllegalArgumentException("expected " + numCoarse + " x " + channels + " values, got " + coarse.length);
        }
        int vd = numDense();
        float[] out = new float[vd * channels];
        for (int r = 0; r < vd; r++) {
            for (int c = 0; c < channels; c++) {
                double acc = 0;
                for (int k = 0; k < width; k++) {
                    acc += weights[r * width + k] * (double) coarse[columns[r * width + k] * channels + c];
                }
                out[r * channels + c] = (float) acc;
            }
        }
        return out;
    }

    /** Labels [Vc] to labels [Vd]: the label with the largest barycentric weight, ties to the smaller label. */
    public int[] applyLabels(int[] coarse) {
        int vd = numDense();
        int[] out = new int[vd];
        for (int r = 0; r < vd; r++) {
            Map<Integer, Double> votes = new TreeMap<>();
            for (int k = 0; k < width; k++) {
                float w = weights[r * width + k];
                if (w > 0) {
                    votes.merge(coarse[columns[r * width + k]], (double) w, Double::sum);
                }
            }
            int best = -1;
            double bestWeight = -1;
            for (Map.Entry<Integer, Double> e : votes.entrySet()) {
                if (e.getValue() > bestWeight + 1e-9) {
                    best = e.getKey();
                    bestWeight = e.getValue();
                }
            }
            out[r] = best;
        }
        return out;
    }

    /** A point on a mesh: face index and barycentric coordinates [3]. */
    public record SurfacePoint(int face, float[] bary) {}

    /**
     * The same surface point on the dense mesh: before any offsets, a point p = a v0 + b v1 + c v2 of a
     * coarse face lies in exactly one child per level, with barycentrics that are linear in (a, b, c).
     */
    public SurfacePoint mapSurfacePoint(int face, float[] bary) {
        int f = face;
        double a = bary[0], b = bary[1], c = bary[2];
        for (int level = 0; level < levels; level++) {
            int child;
            double na, nb, nc;
            if (a >= 0.5) {
                child = 0; na = 2 * a - 1; nb = 2 * b; nc = 2 * c;
            } else if (b >= 0.5) {
                child = 1; na = 2 * a; nb = 2 * b - 1; nc = 2 * c;
            } else if (c >= 0.5) {
                child = 2; na = 2 * a; nb = 2 * b; nc = 2 * c - 1;
            } else {
                // Centre child (m_ab, m_bc, m_ca).
                child = 3; na = 1 - 2 * c; nb = 1 - 2 * a; nc = 1 - 2 * b;
            }
            f = f * 4 + child;
            a = na; b = nb; c = nc;
        }
        return new SurfacePoint(f, new float[] {(float) a, (float) b, (float) c});
    }

    private synchronized Tensor[] tensorsFor(ScalarType type) {
        return tensors.computeIfAbsent(type, t -> new Tensor[] {
                Tensors.keep(Tensors.longs(columns, columns.length)),
                Tensors.keep(Tensors.of(weights, t, numDense(), width, 1))});
    }
}
