package dev.expportrait.transfer;

import dev.expportrait.fit.Laplacian;
import dev.expportrait.head.DenseHead;
import dev.expportrait.head.MeshNormals;
import dev.expportrait.tensor.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The input of the geometry MLP G (Eq. 9) for each face vertex: the target's neutral dense vertex
 * U M_neutral(beta) + D_id, described so that one vertex-wise network serves every identity:
 * <ul>
 *   <li>where the vertex is on the template (the dense mean-shape vertex, in decimetres), with a positional
 *   encoding at {@link #FREQUENCIES} octaves (27 values): correspondence across identities;</li>
 *   <li>how this identity's shape moves it, (U M_neutral(beta) - template) in centimetres (3);</li>
 *   <li>the neutral surface normal (3);</li>
 *   <li>the static detail at the vertex: D_id along the normal in millimetres, and its high-pass (its
 *   umbrella Laplacian, x4), which is where resting creases show (2).</li>
 * </ul>
 * {@value #SIZE} values per vertex. Built once per dense head; not thread-safe (the Laplacian caches tensors).
 */
public final class NeutralFeatures {
    /** Positional-encoding octaves of the template position. */
    public static final int FREQUENCIES = 4;
    /** Values per vertex. */
    public static final int SIZE = 3 + 6 * FREQUENCIES + 3 + 3 + 2;
    /** Where the static detail height (mm) sits among them. */
    public static final int HEIGHT = SIZE - 2;

    private final DenseHead head;
    private final float[] template;
    private final Laplacian laplacian;

    public NeutralFeatures(DenseHead head) {
        this.head = head;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            this.template = Tensors.toFloats(head.neutral(Tensors.zeros(ScalarType.Float, 1, head.model().numShape())));
        }
        this.laplacian = Laplacian.of(head.faces(), head.numVertices());
    }

    public DenseHead head() {
        return head;
    }

    /**
     * @param betas [S] shape coefficients
     * @param identityOffsets D_id [Vd, 3] metres
     * @param faceVertices [Nf] dense vertex ids
     * @return [Nf, SIZE] float32
     */
    public Tensor of(float[] betas, float[] identityOffsets, int[] faceVertices) {
        int vd = head.numVertices();
        if (identityOffsets.length != vd * 3) {
            throw new IllegalArgumentException("identity offsets hold " + identityOffsets.length / 3 + " vertices, the dense head has " + vd);
        }
        float[] neutral;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            neutral = Tensors.toFloats(head.neutral(Tensors.floats(betas, 1, betas.length)));
        }
        float[] normals = MeshNormals.vertexNormals(neutral, head.faces());
        float[] height = new float[vd];
        for (int v = 0; v < vd; v++) {
            height[v] = 1e3f * (identityOffsets[v * 3] * normals[v * 3] + identityOffsets[v * 3 + 1] * normals[v * 3 + 1]
                    + identityOffsets[v * 3 + 2] * normals[v * 3 + 2]);
        }
        float[] highPass;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            highPass = Tensors.toFloats(laplacian.apply(Tensors.floats(height, vd, 1)));
        }
        int nf = faceVertices.length;
        float[] out = new float[nf * SIZE];
        for (int i = 0; i < nf; i++) {
            int v = faceVertices[i], o = i * SIZE;
            for (int c = 0; c < 3; c++) {
                double u = template[v * 3 + c] / 0.1;
                out[o + c] = (float) u;
                for (int k = 0; k < FREQUENCIES; k++) {
                    double a = Math.PI * (1 << k) * u;
                    out[o + 3 + (c * FREQUENCIES + k) * 2] = (float) Math.sin(a);
                    out[o + 3 + (c * FREQUENCIES + k) * 2 + 1] = (float) Math.cos(a);
                }
            }
            o += 3 + 6 * FREQUENCIES;
            for (int c = 0; c < 3; c++) out[o + c] = (neutral[v * 3 + c] - template[v * 3 + c]) / 0.01f;
            for (int c = 0; c < 3; c++) out[o + 3 + c] = normals[v * 3 + c];
            out[o + 6] = height[v];
            out[o + 7] = 4 * highPass[v];
        }
        return Tensors.floats(out, nf, SIZE);
    }
}
