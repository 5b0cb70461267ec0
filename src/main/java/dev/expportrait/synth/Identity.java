package dev.expportrait.synth;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;

/**
 * A synthetic identity: base shape plus the attributes that shape its ground-truth detail fields.
 * Lengths are metres.
 *
 * @param seed the seed it was sampled from
 * @param betas [S] base shape coefficients of the head model
 * @param age years, 5..80
 * @param hairStyle hair style, which shapes the hair volume of D_id
 * @param hairThickness hair volume along the normal on the crown, 0 for bald
 * @param wrinkleDepth depth of expression wrinkles at full activation: about 0 for children, up to ~2 mm for the old
 * @param skinSoftness 0..1: softer skin bulges more (cheek puff) and wrinkles a little less deeply
 * @param foreheadCreases number of forehead creases over the forehead height, 3..5
 * @param creasePhase phase of all wrinkle patterns, radians
 * @param creaseCurvature upward bend of the forehead creases towards the temples, 1/m
 * @param noseBump height of a bump on the nose bridge
 * @param cheekbones height of the cheekbones
 * @param earFlare how far the upper ears stand out (signed)
 * @param moleU mole position across the face, -1 (subject's right) .. 1 (left)
 * @param moleV mole position from the chin (0) to the brows (1)
 * @param clothingFolds number of folds around the shoulders
 * @param clothingPhase phase of the clothing folds, radians
 * @param collarHeight height of the collar ridge around the neck base
 */
public record Identity(
        long seed,
        float[] betas,
        double age,
        HairStyle hairStyle,
        double hairThickness,
        double wrinkleDepth,
        double skinSoftness,
        int foreheadCreases,
        double creasePhase,
        double creaseCurvature,
        double noseBump,
        double cheekbones,
        double earFlare,
        double moleU,
        double moleV,
        int clothingFolds,
        double clothingPhase,
        double collarHeight) {

    /** The shape coefficients as a [1, S] float tensor, for {@code DenseHead.neutral}. */
    public Tensor betaRow() {
        return Tensors.floats(betas.clone(), 1, betas.length);
    }

    /** The same person at another age: only the age and the age-driven wrinkle depth change. */
    public Identity atAge(double years) {
        return new Identity(seed, betas, years, hairStyle, hairThickness, Identities.wrinkleDepth(years, skinSoftness),
                skinSoftness, foreheadCreases, creasePhase, creaseCurvature, noseBump, cheekbones, earFlare, moleU,
                moleV, clothingFolds, clothingPhase, collarHeight);
    }

    /** The same person with another skin softness (0..1), which sets the cheek puff's depth and a little the wrinkles'. */
    public Identity withSkinSoftness(double softness) {
        return new Identity(seed, betas, age, hairStyle, hairThickness, Identities.wrinkleDepth(age, softness), softness,
                foreheadCreases, creasePhase, creaseCurvature, noseBump, cheekbones, earFlare, moleU, moleV,
                clothingFolds, clothingPhase, collarHeight);
    }

    /** The same attributes on another base shape [S]. */
    public Identity withBetas(float[] shape) {
        return new Identity(seed, shape.clone(), age, hairStyle, hairThickness, wrinkleDepth, skinSoftness,
                foreheadCreases, creasePhase, creaseCurvature, noseBump, cheekbones, earFlare, moleU, moleV,
                clothingFolds, clothingPhase, collarHeight);
    }
}
