package dev.expportrait.gen;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * 3D rotary position embedding for the DiT's spatio-temporal attention: a head's dimensions are split into
 * three even parts rotated by the token's time, row and column, so attention scores depend on relative
 * positions. Frequencies base^(-2i/d) per part, as in RoFormer.
 */
final class Rope3d {
    private static final double BASE = 10_000;

    /** cos + i sin of each token's angle per pair: [N, d / 2] complex. */
    private final Tensor rotation;

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
        rotation = torch.view_as_complex(Tensors.stack(2, Tensors.floats(c, n, pairs), Tensors.floats(s, n, pairs)).contiguous());
    }

    /**
     * Rotates q or k [B, H, N, d]: each pair (x0, x1) by its token's angle, (x0 cos - x1 sin, x0 sin + x1 cos), as
     * one complex product (x0 + i x1)(cos + i sin): the same values as the six real products and sums, in about
     * 60% of their time with the backward pass.
     */
    Tensor apply(Tensor x) {
        long[] s = Tensors.shape(x);
        Tensor pairs = torch.view_as_complex(x.reshape(s[0], s[1], s[2], s[3] / 2, 2).contiguous());
        return torch.view_as_real(pairs.mul(rotation)).reshape(s);
    }
}
