package dev.expportrait.transfer;

import org.bytedeco.pytorch.Tensor;

/**
 * What cross-identity transfer needs of the module of Sec. 3.2: for one head model and dense level, a target's
 * D_exp,t on its face vertices from its neutral geometry and a driver's expression coefficients and jaw poses
 * (Eq. 8 then Eq. 9). One trained {@link TransferModel}, or the mean of several ({@link TransferEnsemble}).
 */
public interface TransferModule {
    /** The head model whose dense meshes this module was trained on. */
    String headModel();

    /** The dense level of those meshes. */
    int level();

    /** E, the expression coefficients per driving frame (the drivers are E + 3 per frame: with the jaw axis-angle). */
    int numExpression();

    /** Weights in all. */
    long parameterCount();

    /**
     * The target's D_exp,t for every driving frame, without gradients.
     *
     * @param features [Nf, F] the target's {@link NeutralFeatures}
     * @param drivers [T, E + 3] expression coefficients and jaw axis-angle per frame
     * @return expressionOffsets [T, Nf, 3] metres
     */
    float[] predict(Tensor features, float[] drivers);
}
