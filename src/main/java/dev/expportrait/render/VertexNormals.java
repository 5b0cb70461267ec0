package dev.expportrait.render;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Area-weighted vertex normals of a batch of meshes, differentiable in the positions (the renderer's
 * counterpart of {@link dev.expportrait.head.MeshNormals}).
 */
public final class VertexNormals {
    private VertexNormals() {}

    /**
     * Each vertex gets the sum of (v1 - v0) x (v2 - v0) over its faces (twice the area times the unit normal,
     * hence area weighting), scattered with index_add and normalised.
     *
     * @param vertices [T, V, 3] positions, float32 or float64
     * @param faces [F, 3] vertex indices, counter-clockwise seen from outside (normals point outwards)
     * @return [T, V, 3] unit normals; zero for vertices no face uses
     */
    public static Tensor compute(Tensor vertices, int[] faces) {
        long t = vertices.size(0);
        long v = vertices.size(1);
        int f = faces.length / 3;
        Tensor index = Tensors.longs(faces, faces.length);
        Tensor corners = torch.index_select(vertices, 1, index).reshape(t, f, 3, 3);
        Tensor v0 = corners.select(2, 0);
        Tensor faceNormals = torch.linalg_cross(corners.select(2, 1).sub(v0), corners.select(2, 2).sub(v0), -1);
        // Every corner of a face receives the face's normal: one scatter over [T, 3F].
        Tensor perCorner = faceNormals.unsqueeze(2).expand(t, f, 3, 3).reshape(t, 3L * f, 3);
        // scatter_add rather than index_add: libtorch's CPU index_add walks the index one slice at a time.
        Tensor sum = torch.scatter_add(torch.zeros_like(vertices), 1, index.reshape(1, 3L * f, 1).expand(t, 3L * f, 3), perCorner);
        Tensor length = sum.mul(sum).sum(new long[] {2}, true, new ScalarTypeOptional()).clamp_min(scalar(1e-30)).sqrt();
        return sum.div(length);
    }
}
