package dev.expportrait.fit;

import static dev.expportrait.tensor.Tensors.scalar;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The loss terms of Sec. 3.1.2, as pure functions of tensors. Each returns a scalar tensor. */
public final class FitLosses {
    private FitLosses() {}

    private static final double CHARBONNIER_EPS = 1e-3;

    /**
     * Eq. 5, the landmark loss: mean robust (Charbonnier) distance between projected and detected landmarks,
     * in units of the image width so that weights do not depend on the resolution.
     *
     * @param projected [B, L, 2] pixels
     * @param detected [B, L, 2] pixels
     */
    public static Tensor landmarks(Tensor projected, Tensor detected, int width) {
        Tensor d = projected.sub(detected).div(scalar(width));
        return d.square().sum(new long[] {2}, false, new ScalarTypeOptional()).add(scalar(CHARBONNIER_EPS * CHARBONNIER_EPS))
                .sqrt().mean();
    }

    /**
     * The normal term of Eq. 6: L1 between rendered and target unit normals, averaged over the pixels both
     * the target mask and the render cover.
     *
     * @param rendered [B, H, W, 3]
     * @param target [B, H, W, 3]
     * @param valid [B, H, W, 1] 1 where compared, 0 elsewhere (no gradient)
     */
    public static Tensor normals(Tensor rendered, Tensor target, Tensor valid) {
        Tensor l1 = rendered.sub(target).abs().sum(new long[] {3}, true, new ScalarTypeOptional());
        return l1.mul(valid).sum().div(valid.sum().add(scalar(1)));
    }

    /**
     * The depth term of Eq. 6 for depth known up to a per-frame scale (monocular estimators): each frame's
     * target is first scaled by the least-squares factor s_t = sum(d r) / sum(d d) over the valid pixels
     * (held constant), then the L1 error is taken relative to the mean rendered depth.
     *
     * @param rendered [B, H, W, 1] metres
     * @param target [B, H, W, 1] relative depth
     * @param valid [B, H, W, 1]
     */
    public static Tensor depth(Tensor rendered, Tensor target, Tensor valid) {
        long[] spatial = {1, 2, 3};
        Tensor r = rendered.detach().mul(valid);
        Tensor d = target.mul(valid);
        Tensor s = r.mul(d).sum(spatial, true, new ScalarTypeOptional())
                .div(d.square().sum(spatial, true, new ScalarTypeOptional()).add(scalar(1e-12)));
        Tensor count = valid.sum().add(scalar(1));
        Tensor meanDepth = r.sum().div(count).add(scalar(1e-6));
        return rendered.sub(target.mul(s)).abs().mul(valid).sum().div(count).div(meanDepth);
    }

    /**
     * The silhouette term: mean squared difference of rendered coverage and target mask.
     *
     * @param coverage [B, H, W, 1] in [0, 1]
     * @param target [B, H, W, 1] in [0, 1]
     */
    public static Tensor mask(Tensor coverage, Tensor target) {
        return coverage.sub(target).square().mean();
    }

    /** Eq. 7: the L2 prior on expression coefficients [B, E] (mean over frames, sum over coefficients). */
    public static Tensor expressionPrior(Tensor expression) {
        return expression.square().sum(new long[] {1}, false, new ScalarTypeOptional()).mean();
    }

    /**
     * Temporal smoothness: mean squared second difference along the frame axis of x [T, ...]; zero for
     * fewer than three frames.
     */
    public static Tensor secondDifference(Tensor x) {
        long t = x.size(0);
        if (t < 3) {
            return torch.zeros(1).sum();
        }
        Tensor d = x.narrow(0, 2, t - 2).sub(x.narrow(0, 1, t - 2).mul(scalar(2))).add(x.narrow(0, 0, t - 2));
        return d.square().mean();
    }

    /**
     * Displacement magnitude in square millimetres, weighted per vertex, with the part of each offset that
     * slides along the surface weighted {@code tangential} times more: mean over vertices (and frames) of
     * w_v ((D_v . n_v)^2 + tangential |D_v - (D_v . n_v) n_v|^2). Sliding moves no surface the maps can see,
     * but uneven sliding crumples the triangles and so their normals; details are displacements off the
     * surface.
     *
     * @param offsets [..., N, 3] metres
     * @param normals [N, 3] unit normals of the canonical surface, or null to weigh all directions alike
     * @param weights [N, 1] or null for 1
     */
    public static Tensor magnitude(Tensor offsets, Tensor normals, double tangential, Tensor weights) {
        Tensor mm = offsets.mul(scalar(1000));
        Tensor sq = mm.square().sum(new long[] {offsets.dim() - 1}, true, new ScalarTypeOptional());
        if (normals != null && tangential != 1) {
            Tensor along = mm.mul(normals).sum(new long[] {offsets.dim() - 1}, true, new ScalarTypeOptional()).square();
            sq = along.add(sq.sub(along).mul(scalar(tangential)));
        }
        return (weights == null ? sq : sq.mul(weights)).mean();
    }

    /** Laplacian smoothness in square millimetres: mean |L D|^2. */
    public static Tensor smoothness(Laplacian laplacian, Tensor offsets) {
        return laplacian.apply(offsets.mul(scalar(1000))).square().sum(new long[] {offsets.dim() - 1}, false, new ScalarTypeOptional()).mean();
    }
}
