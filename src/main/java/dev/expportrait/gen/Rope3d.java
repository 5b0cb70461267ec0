package dev.expportrait.gen;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;

/**
 * 3D rotary position embedding for the DiT's spatio-temporal attention: a head's dimensions are split into
 * three even parts rotated by the token's time, row and column, so attention scores depend on relative
 * positions. Frequencies base^(-2i/d) per part, as in RoFormer.
 */
final class Rope3d {
    private static final double BASE = 10_000;

    private final Tensor cos, sin;

    /**
     * @param positions [N, 3] (t, y, x) of each token; any real values (the reference tokens sit at t = -1)
     * @param headDim dimensions per head, a multiple of 6
     */
    Rope3d(float[] positions, int headDim) {
        if (headDim % 6 != 0) throw new IllegalArgumentException("head dimension " + headDim + " must be a multiple of 6 for 3D RoPE");
        int n = positions.length / 3, part = headDim / 3, pairs = headDim / 2;
        float[] c = new float[n * pairs], s = new float[n * pairs];
        for (int i = 0; i < n; i++) {
            for (int axis = 0; axis < 3; axis++) {
                for (int k = 0; k < part / 2; k++) {
                    double angle = positions[i * 3 + axis] * Math.pow(BASE, -2.0 * k / part);
                    int j = axis * (part / 2) + k;
                    c[i * pairs + j] = (float) Math.cos(angle);
                    s[i * pairs + j] = (float) Math.sin(angle);
                }
            }
        }
        cos = Tensors.floats(c, n, pairs);
        sin = Tensors.floats(s, n, pairs);
    }

    /** Rotates q or k [B, H, N, d]: each pair (x0, x1) by its token's angle. */
    Tensor apply(Tensor x) {
        long[] s = Tensors.shape(x);
        Tensor pairs = x.reshape(s[0], s[1], s[2], s[3] / 2, 2);
        Tensor x0 = pairs.select(4, 0), x1 = pairs.select(4, 1);
        Tensor r0 = x0.mul(cos).sub(x1.mul(sin)), r1 = x0.mul(sin).add(x1.mul(cos));
        return Tensors.stack(4, r0, r1).reshape(s);
    }
}
