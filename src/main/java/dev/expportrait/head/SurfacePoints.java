package dev.expportrait.head;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Points embedded in a mesh surface by barycentric coordinates (landmarks): p = sum_k b_k v[f_k].
 *
 * @param vertexIds [L, 3] the vertices of each point's face
 * @param bary [L, 3] barycentric coordinates
 */
public record SurfacePoints(int[] vertexIds, float[] bary) {

    public int size() {
        return bary.length / 3;
    }

    /** The points of a model's own landmark embedding, on its full vertex set. */
    public static SurfacePoints landmarks(HeadModel m) {
        int l = m.numLandmarks();
        int[] ids = new int[l * 3];
        for (int i = 0; i < l; i++) {
            for (int k = 0; k < 3; k++) ids[i * 3 + k] = m.faces()[m.lmkFaces()[i] * 3 + k];
        }
        return new SurfacePoints(ids, m.lmkBary().clone());
    }

    /**
     * Evaluates the points on posed meshes; differentiable in the vertices.
     *
     * @param vertices [T, V, 3]
     * @return [T, L, 3]
     */
    public Tensor evaluate(Tensor vertices) {
        long t = vertices.size(0);
        int l = size();
        Tensor corners = torch.index_select(vertices, 1, Tensors.longs(vertexIds, vertexIds.length)).reshape(t, l, 3, 3);
        Tensor w = Tensors.of(bary, vertices.scalar_type() == ScalarType.Double ? ScalarType.Double : ScalarType.Float, l, 3, 1);
        return corners.mul(w).sum(new long[] {2}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
    }
}
