package dev.expportrait.head;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A few vertices of a {@link DenseHead}, posed exactly as {@link DenseHead#pose} poses them, at a cost that
 * does not grow with the dense mesh: the rows of U (Eq. 2) for these vertices are folded into their
 * template, blend directions and pose correctives once, so landmark-only fitting (Eq. 5) poses a few
 * hundred vertices instead of tens of thousands.
 *
 * <p>Everything on the path is linear in the coarse vertices before skinning, so U_sel (v_T + B_S + B_E + B_P)
 * = (U_sel v_T) + (U_sel S) beta + (U_sel E) psi + (U_sel P) f(theta); skinning then uses the subset's rows
 * of the dense weights U W. N vertices, T frames.
 */
public final class DenseVertexSubset {
    private final int[] ids;
    private final HeadTensors coarse;
    private final Tensor vTemplate;   // [N, 3]
    private final Tensor shapedirs;   // [N, 3, S + E]
    private final Tensor posedirs;    // [P, 3 N] or null
    private final Tensor weights;     // [N, J]

    DenseVertexSubset(DenseHead head, int[] denseIds, ScalarType type) {
        this.ids = denseIds.clone();
        this.coarse = head.coarse();
        Upsampler up = head.upsampler();
        int n = ids.length, vc = up.numCoarse(), width = up.width();
        int[] cols = up.columns();
        float[] w = up.weights();
        float[] rows = new float[n * vc];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < width; k++) {
                rows[i * vc + cols[ids[i] * width + k]] += w[ids[i] * width + k];
            }
        }
        Tensor u = Tensors.of(rows, type, n, vc);
        this.vTemplate = u.matmul(coarse.vTemplate());
        long k = coarse.shapedirs().size(2);
        this.shapedirs = u.matmul(coarse.shapedirs().reshape(vc, 3 * k)).reshape(n, 3, k);
        if (coarse.posedirs() != null) {
            long p = coarse.posedirs().size(0);
            // posedirs [P, 3 Vc] -> [P, Vc, 3], rows of U applied on the vertex axis -> [P, N, 3]
            this.posedirs = u.matmul(coarse.posedirs().reshape(p, vc, 3)).reshape(p, 3L * n);
        } else {
            this.posedirs = null;
        }
        this.weights = torch.index_select(head.denseWeights(), 0, Tensors.longs(ids, n));
    }

    /** The dense vertex ids, [N]. */
    public int[] ids() {
        return ids.clone();
    }

    /**
     * Eq. 3 then Eq. 4 for these vertices.
     *
     * @param betas [T, S']
     * @param expression [T, E'] or null
     * @param pose [T, J, 3] axis-angle
     * @param translation [T, 3] or null
     * @param identityOffsets D_id restricted to these vertices, [N, 3], or null
     * @param expressionOffsets D_exp,t restricted to these vertices, [T, N, 3], or null
     * @return posed vertices [T, N, 3], joints, transforms
     */
    public Lbs.Posed pose(Tensor betas, Tensor expression, Tensor pose, Tensor translation,
                          Tensor identityOffsets, Tensor expressionOffsets) {
        Tensor canonical = vTemplate.unsqueeze(0).add(coarse.blend(shapedirs, betas, expression));
        if (identityOffsets != null) {
            canonical = canonical.add(identityOffsets);
        }
        if (expressionOffsets != null) {
            canonical = canonical.add(expressionOffsets);
        }
        return Lbs.skinShaped(canonical, coarse.restJoints(betas, expression), pose, translation, coarse.parents(), weights, posedirs);
    }
}
