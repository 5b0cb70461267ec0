package dev.expportrait.head;

import dev.expportrait.io.InputException;
import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The personalized head's geometry (paper Sec. 3.1.1): the head subset S of a SMPL-X-format model
 * (Eq. 1), upsampled by U (Eq. 2), carrying a static identity offset field D_id and per-frame expression
 * offset fields D_exp,t (Eq. 3), posed by LBS with barycentrically interpolated skinning weights (Eq. 4).
 *
 * <p>The base model's own expression blend shapes and pose correctives are evaluated on the coarse
 * subset and upsampled with it, so frame t's canonical mesh is
 * U (v_T + B_S(beta) + B_E(psi_t) + B_P(theta_t))|_S + D_id + D_exp,t, and it is skinned with U W|_S about
 * the joints of the full model. With psi = 0, theta = 0 and no offsets this is U M_neutral(beta) of Eq. 1-2.
 * Vd dense vertices, T frames, J joints.
 */
public final class DenseHead {
    private final HeadModel model;
    private final HeadSubset subset;
    private final Upsampler upsampler;
    private final HeadTensors coarse;
    private final Tensor denseWeights;
    private final SurfacePoints landmarks;
    private final int[] regions;
    private final ScalarType type;

    public DenseHead(HeadModel model, HeadSubset subset, int levels, ScalarType type) {
        this.model = model;
        this.subset = subset;
        this.type = type;
        this.upsampler = Upsampler.build(subset.faces(), subset.numVertices(), levels);
        this.coarse = HeadTensors.of(model, subset, type);
        this.denseWeights = upsampler.apply(coarse.weights().unsqueeze(0)).squeeze(0).contiguous();
        this.landmarks = denseLandmarks();
        this.regions = model.hasRegions() ? upsampler.applyLabels(subset.gather(model.regions())) : null;
    }

    public HeadModel model() {
        return model;
    }

    public HeadSubset subset() {
        return subset;
    }

    public Upsampler upsampler() {
        return upsampler;
    }

    public HeadTensors coarse() {
        return coarse;
    }

    /** Dense skinning weights U W|_S, [Vd, J]; rows sum to 1. */
    public Tensor denseWeights() {
        return denseWeights;
    }

    /** Dense faces [Fd, 3]. */
    public int[] faces() {
        return upsampler.denseFaces();
    }

    public int numVertices() {
        return upsampler.numDense();
    }

    /** The model's landmarks embedded in the dense mesh. */
    public SurfacePoints landmarks() {
        return landmarks;
    }

    /** Dense region labels [Vd], or null when the model has none. */
    public int[] regions() {
        return regions == null ? null : regions.clone();
    }

    /** Texture coordinates of the dense mesh, with seams: uvs [Vt', 2] and uvFaces [Fd, 3]. */
    public record Uvs(float[] uvs, int[] uvFaces) {}

    /**
     * The model's UVs carried to the dense mesh, or null when it has none: the subset's UV faces are
     * subdivided like its faces (same face order), so dense UV face k belongs to dense face k.
     */
    public Uvs denseUvs() {
        if (!model.hasUvs()) {
            return null;
        }
        int[] ft = model.uvFaces();
        int[] subsetFt = new int[subset.numFaces() * 3];
        for (int i = 0; i < subset.numFaces(); i++) {
            System.arraycopy(ft, subset.faceIds()[i] * 3, subsetFt, i * 3, 3);
        }
        int numUv = model.uvs().length / 2;
        Upsampler uvUp = Upsampler.build(subsetFt, numUv, upsampler.levels());
        return new Uvs(uvUp.apply(model.uvs(), 2), uvUp.denseFaces());
    }

    /**
     * The dense canonical neutral mesh U M_neutral(beta) (Eq. 1-2).
     *
     * @param betas [T, S']
     * @return [T, Vd, 3]
     */
    public Tensor neutral(Tensor betas) {
        Tensor shaped = coarse.vTemplate().unsqueeze(0).add(coarse.blend(coarse.shapedirs(), betas, null));
        return upsampler.apply(shaped);
    }

    /**
     * Poses the detailed dense mesh (Eq. 3 then Eq. 4).
     *
     * @param betas [T, S'] shape coefficients (repeat one row for a clip)
     * @param expression [T, E'] expression coefficients psi_t, or null
     * @param pose [T, J, 3] axis-angle per joint (global orient at the root, neck, head, jaw, eyes...)
     * @param translation [T, 3] metres, or null
     * @param identityOffsets D_id [Vd, 3] metres, or null
     * @param expressionOffsets D_exp,t [T, Vd, 3] metres, or null
     * @return dense posed vertices [T, Vd, 3], joints [T, J, 3], transforms [T, J, 4, 4]
     */
    public Lbs.Posed pose(Tensor betas, Tensor expression, Tensor pose, Tensor translation,
                          Tensor identityOffsets, Tensor expressionOffsets) {
        long t = pose.size(0);
        if (pose.size(1) != coarse.numJoints()) {
            throw new InputException("pose has " + pose.size(1) + " joints, model " + model.name() + " has " + coarse.numJoints());
        }
        Tensor shaped = coarse.vTemplate().unsqueeze(0).add(coarse.blend(coarse.shapedirs(), betas, expression));
        if (coarse.numPoseBasis() > 0) {
            Tensor rotations = Rodrigues.toMatrix(pose.reshape(-1, 3)).reshape(t, -1, 3, 3);
            shaped = shaped.add(Lbs.poseFeature(rotations).matmul(coarse.posedirs()).reshape(t, -1, 3));
        }
        Tensor canonical = upsampler.apply(shaped); // Eq. 2 applied to the frame's base mesh
        if (identityOffsets != null) {
            canonical = canonical.add(identityOffsets); // Eq. 3: + D_id
        }
        if (expressionOffsets != null) {
            canonical = canonical.add(expressionOffsets); // Eq. 3: + D_exp,t
        }
        Tensor restJoints = coarse.restJoints(betas, expression);
        return Lbs.skinShaped(canonical, restJoints, pose, translation, coarse.parents(), denseWeights, null); // Eq. 4
    }

    /** These dense vertices alone, posed as {@link #pose} poses them (for sparse losses such as landmarks). */
    public DenseVertexSubset vertices(int[] denseIds) {
        return new DenseVertexSubset(this, denseIds, type);
    }

    /** A zero pose tensor [T, J, 3] of this head's type. */
    public Tensor zeroPose(int frames) {
        return Tensors.zeros(type, frames, coarse.numJoints(), 3);
    }

    private SurfacePoints denseLandmarks() {
        int l = model.numLandmarks();
        int[] dense = upsampler.denseFaces();
        int[] ids = new int[l * 3];
        float[] bary = new float[l * 3];
        for (int i = 0; i < l; i++) {
            int face = subset.subsetFace(model.lmkFaces()[i]);
            if (face < 0) {
                throw new InputException("model " + model.name() + ": landmark " + i + " lies on face "
                        + model.lmkFaces()[i] + ", outside the head subset");
            }
            float[] b = {model.lmkBary()[i * 3], model.lmkBary()[i * 3 + 1], model.lmkBary()[i * 3 + 2]};
            Upsampler.SurfacePoint p = upsampler.mapSurfacePoint(face, b);
            for (int k = 0; k < 3; k++) {
                ids[i * 3 + k] = dense[p.face() * 3 + k];
                bary[i * 3 + k] = p.bary()[k];
            }
        }
        return new SurfacePoints(ids, bary);
    }
}
