package dev.expportrait.render;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.tensor.Tensors;
import java.util.stream.IntStream;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

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
        if (!vertices.requires_grad() && vertices.scalar_type() == ScalarType.Float) {
            return withoutGradient(vertices, faces);
        }
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

    /**
     * The same normals in plain Java, for float32 vertices that need no gradient (rendering images): one pass
     * over the faces per frame instead of a dozen full-size tensor ops, several times faster on few cores.
     */
    private static Tensor withoutGradient(Tensor vertices, int[] faces) {
        int t = (int) vertices.size(0), v = (int) vertices.size(1);
        float[] p = Tensors.toFloats(vertices);
        float[] out = new float[p.length];
        IntStream.range(0, t).parallel().forEach(frame -> {
            int o = frame * v * 3;
            double[] sum = new double[v * 3];
            for (int f = 0; f < faces.length; f += 3) {
                int a = o + 3 * faces[f], b = o + 3 * faces[f + 1], c = o + 3 * faces[f + 2];
                double ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
                double wx = p[c] - p[a], wy = p[c + 1] - p[a + 1], wz = p[c + 2] - p[a + 2];
                double nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
                for (int k = 0; k < 3; k++) {
                    int q = 3 * faces[f + k];
                    sum[q] += nx;
                    sum[q + 1] += ny;
                    sum[q + 2] += nz;
                }
            }
            for (int i = 0; i < v; i++) {
                double len = Math.sqrt(Math.max(1e-30, sum[3 * i] * sum[3 * i] + sum[3 * i + 1] * sum[3 * i + 1] + sum[3 * i + 2] * sum[3 * i + 2]));
                for (int c = 0; c < 3; c++) out[o + 3 * i + c] = (float) (sum[3 * i + c] / len);
            }
        });
        return Tensors.floats(out, t, v, 3);
    }
}
