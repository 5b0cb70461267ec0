package dev.expportrait.head;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Linear blend skinning of a SMPL-X-format model (paper Eq. 1 and Eq. 4), as pure batched functions
 * in the order the reference implementation (smplx/lbs.py) runs them:
 * blend shapes, joint regression on the shaped mesh, Rodrigues, pose correctives from (R - I) of the
 * non-root joints, the kinematic chain with rest joints removed, and the blend of joint transforms.
 * Every function works in float32 or float64 and is differentiable in all tensor inputs.
 * T frames, V vertices, J joints, K blend directions, P = 9 (J - 1) pose-corrective columns.
 */
public final class Lbs {
    private Lbs() {}

    /** Posed vertices [T, V, 3], posed joints [T, J, 3] and rest-relative joint transforms [T, J, 4, 4]. */
    public record Posed(Tensor vertices, Tensor joints, Tensor transforms) {}

    /**
     * Offsets of linear blend shapes: sum_k coeffs[t, k] dirs[v, c, k].
     *
     * @param coeffs [T, K]
     * @param dirs [V, 3, K]
     * @return [T, V, 3]
     */
    public static Tensor blendShapes(Tensor coeffs, Tensor dirs) {
        long v = dirs.size(0);
        long k = dirs.size(2);
        Tensor flat = dirs.reshape(v * 3, k);
        return coeffs.matmul(flat.t()).reshape(coeffs.size(0), v, 3);
    }

    /**
     * Joints as fixed linear combinations of vertices.
     *
     * @param regressor [J, V]
     * @param vertices [T, V, 3]
     * @return [T, J, 3]
     */
    public static Tensor regressJoints(Tensor regressor, Tensor vertices) {
        return regressor.matmul(vertices);
    }

    /**
     * The pose feature that drives the pose correctives: (R_j - I) flattened for the non-root joints.
     *
     * @param rotations [T, J, 3, 3]
     * @return [T, 9 (J - 1)]
     */
    public static Tensor poseFeature(Tensor rotations) {
        long t = rotations.size(0);
        long j = rotations.size(1);
        Tensor eye = torch.eye(3).to(rotations.scalar_type());
        return rotations.narrow(1, 1, j - 1).sub(eye).reshape(t, (j - 1) * 9);
    }

    /**
     * The kinematic chain: world transforms of every joint, with the rest joint location removed so that
     * they map rest-pose points to posed points.
     *
     * @param rotations [T, J, 3, 3] local rotations
     * @param joints [T, J, 3] rest joint locations
     * @param parents [J], parents[0] = -1, parents[j] &lt; j
     * @return posed joints [T, J, 3] and transforms [T, J, 4, 4]
     */
    public static Tensor[] rigidTransforms(Tensor rotations, Tensor joints, int[] parents) {
        long t = rotations.size(0);
        int j = parents.length;
        Tensor parentJoints = torch.index_select(joints, 1, Tensors.longs(parentIndices(parents), j - 1));
        Tensor relJoints = Tensors.cat(1, joints.narrow(1, 0, 1), joints.narrow(1, 1, j - 1).sub(parentJoints));
        Tensor local = homogeneous(rotations, relJoints); // [T, J, 4, 4]
        Tensor[] chain = new Tensor[j];
        chain[0] = local.select(1, 0);
        for (int i = 1; i < j; i++) {
            chain[i] = chain[parents[i]].bmm(local.select(1, i));
        }
        Tensor world = Tensors.stack(1, chain); // [T, J, 4, 4]
        Tensor posedJoints = world.narrow(2, 0, 3).select(3, 3);
        // Remove the rest location: A_j = G_j * [I, -j_rest; 0, 1], so A_j x_rest = G_j (x_rest - j_rest).
        Tensor rotated = world.narrow(2, 0, 3).narrow(3, 0, 3).matmul(joints.unsqueeze(3)).squeeze(3); // [T, J, 3]
        Tensor correction = Tensors.cat(3,
                torch.zeros_like(world.narrow(2, 0, 3).narrow(3, 0, 3)),
                rotated.unsqueeze(3)); // [T, J, 3, 4]
        Tensor pad = torch.zeros_like(world.narrow(2, 0, 1)); // [T, J, 1, 4]
        Tensor transforms = world.sub(Tensors.cat(2, correction, pad));
        return new Tensor[] {posedJoints, transforms};
    }

    /**
     * Blends the joint transforms by the skinning weights and applies them.
     *
     * @param vertices [T, V, 3] rest-pose (shaped, corrected) vertices
     * @param weights [V, J], rows sum to 1
     * @param transforms [T, J, 4, 4]
     * @return [T, V, 3]
     */
    public static Tensor skin(Tensor vertices, Tensor weights, Tensor transforms) {
        long t = transforms.size(0);
        long j = transforms.size(1);
        long v = weights.size(0);
        Tensor blended = weights.matmul(transforms.narrow(2, 0, 3).reshape(t, j, 12)).reshape(t, v, 3, 4);
        Tensor rot = blended.narrow(3, 0, 3);
        Tensor trans = blended.select(3, 3);
        return rot.matmul(vertices.unsqueeze(3)).squeeze(3).add(trans);
    }

    /**
     * The whole SMPL-X function M(beta, psi, theta) for T frames.
     *
     * @param model the model as tensors
     * @param betas [T, S'] shape coefficients, S' &lt;= S (the first S' directions)
     * @param expression [T, E'] expression coefficients, E' &lt;= E; may be null
     * @param pose [T, J, 3] axis-angle per joint, radians
     * @param translation [T, 3] metres, added after skinning; may be null
     */
    public static Posed forward(HeadTensors model, Tensor betas, Tensor expression, Tensor pose, Tensor translation) {
        Tensor shaped = model.vTemplate().unsqueeze(0).add(model.blend(model.shapedirs(), betas, expression));
        return skinShaped(model, shaped, model.restJoints(betas, expression), pose, translation);
    }

    /**
     * The posing half of the SMPL-X function, for rest-pose vertices that are already shaped (and, for the
     * dense mesh of Eq. 3, upsampled and offset): pose correctives (when {@code posedirs} is given), the
     * kinematic chain and skinning.
     *
     * @param model supplies parents, weights [V, J] and posedirs; use {@link #skin} directly for other weights
     * @param shaped [T, V, 3]
     * @param restJoints [T, J, 3]
     * @param pose [T, J, 3] axis-angle, radians
     * @param translation [T, 3] or null
     */
    public static Posed skinShaped(HeadTensors model, Tensor shaped, Tensor restJoints, Tensor pose, Tensor translation) {
        return skinShaped(shaped, restJoints, pose, translation, model.parents(), model.weights(), model.posedirs());
    }

    /** As {@link #skinShaped(HeadTensors, Tensor, Tensor, Tensor, Tensor)} with explicit weights [V, J] and posedirs [P, 3V] or null. */
    public static Posed skinShaped(Tensor shaped, Tensor restJoints, Tensor pose, Tensor translation,
                                   int[] parents, Tensor weights, Tensor posedirs) {
        long t = pose.size(0);
        Tensor rotations = Rodrigues.toMatrix(pose.reshape(-1, 3)).reshape(t, -1, 3, 3);
        Tensor corrected = shaped;
        if (posedirs != null) {
            corrected = shaped.add(poseFeature(rotations).matmul(posedirs).reshape(t, -1, 3));
        }
        Tensor[] chain = rigidTransforms(rotations, restJoints, parents);
        Tensor vertices = skin(corrected, weights, chain[1]);
        Tensor joints = chain[0];
        if (translation != null) {
            Tensor tr = translation.unsqueeze(1);
            vertices = vertices.add(tr);
            joints = joints.add(tr);
        }
        return new Posed(vertices, joints, chain[1]);
    }

    private static Tensor homogeneous(Tensor rotations, Tensor translations) {
        Tensor top = Tensors.cat(3, rotations, translations.unsqueeze(3)); // [T, J, 3, 4]
        Tensor bottom = torch.zeros_like(top.narrow(2, 0, 1));
        bottom.select(3, 3).fill_(scalar(1));
        return Tensors.cat(2, top, bottom);
    }

    private static int[] parentIndices(int[] parents) {
        int[] p = new int[parents.length - 1];
        for (int i = 1; i < parents.length; i++) {
            p[i - 1] = parents[i];
        }
        return p;
    }
}
