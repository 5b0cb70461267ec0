package dev.expportrait.fit;

import dev.expportrait.head.MeshTopology;
import dev.expportrait.tensor.Tensors;
import java.util.Arrays;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The uniform (umbrella) Laplacian of a mesh, (L x)_i = x_i - mean of x over i's neighbours, used as the
 * smoothness term on both detail fields (Sec. 3.1.2). It can be restricted to a vertex subset for a field
 * that is zero outside it (D_exp,t, hard-masked to the face): neighbours outside the subset then count as
 * zeros, so the field is also pulled to zero at the subset's border. Stored in ELL form (a fixed number of
 * neighbour slots per row, unused slots weighted 0).
 */
public final class Laplacian {
    private final int rows;
    private final int width;
    private final int[] columns;
    private final float[] weights;
    private Tensor columnsT;
    private Tensor weightsT;

    private Laplacian(int rows, int width, int[] columns, float[] weights) {
        this.rows = rows;
        this.width = width;
        this.columns = columns;
        this.weights = weights;
    }

    /** The Laplacian of a whole mesh of {@code numVertices} vertices. */
    public static Laplacian of(int[] faces, int numVertices) {
        int[] all = new int[numVertices];
        Arrays.setAll(all, i -> i);
        return restricted(faces, numVertices, all);
    }

    /**
     * The Laplacian on the rows of {@code subset} (dense vertex ids), acting on a field given on the subset
     * only ([..., N, C] with N = subset size) and zero elsewhere.
     */
    public static Laplacian restricted(int[] faces, int numVertices, int[] subset) {
        int[] edges = MeshTopology.edges(faces);
        int[] degree = new int[numVertices];
        for (int e : edges) degree[e]++;
        int[] local = new int[numVertices];
        Arrays.fill(local, -1);
        for (int i = 0; i < subset.length; i++) local[subset[i]] = i;
        int width = 0;
        for (int v : subset) width = Math.max(width, degree[v]);
        int[] fill = new int[subset.length];
        int[] columns = new int[subset.length * width];
        float[] weights = new float[subset.length * width];
        for (int k = 0; k < edges.length; k += 2) {
            int a = edges[k], b = edges[k + 1];
            link(local, degree, width, fill, columns, weights, a, b);
            link(local, degree, width, fill, columns, weights, b, a);
        }
        return new Laplacian(subset.length, width, columns, weights);
    }

    private static void link(int[] local, int[] degree, int width, int[] fill, int[] columns, float[] weights, int from, int to) {
        int row = local[from];
        if (row < 0) return;
        int slot = row * width + fill[row]++;
        if (local[to] >= 0) {
            columns[slot] = local[to];
            weights[slot] = 1f / degree[from];
        } // else: a neighbour outside the subset, where the field is zero: slot stays weight 0
    }

    public int rows() {
        return rows;
    }

    /**
     * L x.
     *
     * @param x [..., N, C] float32
     * @return [..., N, C]
     */
    public Tensor apply(Tensor x) {
        if (columnsT == null) {
            columnsT = Tensors.keep(Tensors.longs(columns, columns.length));
            weightsT = Tensors.keep(Tensors.of(weights, ScalarType.Float, rows, width, 1));
        }
        long[] shape = Tensors.shape(x);
        int axis = shape.length - 2;
        long[] slots = new long[shape.length + 1];
        System.arraycopy(shape, 0, slots, 0, axis);
        slots[axis] = rows;
        slots[axis + 1] = width;
        slots[axis + 2] = shape[shape.length - 1];
        Tensor neighbours = torch.index_select(x, axis, columnsT).reshape(slots);
        return x.sub(neighbours.mul(weightsT.to(x.scalar_type())).sum(new long[] {axis + 1}, false, new ScalarTypeOptional()));
    }
}
