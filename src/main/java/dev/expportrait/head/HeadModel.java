package dev.expportrait.head;

import java.util.List;

/**
 * A head model in the SMPL-X file layout, held as plain row-major (C order) Java arrays.
 *
 * <p>Coordinates are metres in the model frame of SMPL-X: x to the subject's left, y up, z out of the face.
 * Faces are counter-clockwise seen from outside, so {@code cross(v1 - v0, v2 - v0)} points outward.
 *
 * <p>Shapes (V vertices, F faces, J joints, S shape and E expression directions, P = 9 (J - 1) pose-corrective
 * columns or 0 when the model has none, L landmarks, Vt UV vertices):
 * <ul>
 *   <li>{@code vTemplate} [V, 3]; {@code faces} [F, 3]</li>
 *   <li>{@code shapedirs} [V, 3, S + E]: the first S columns are shape, the last E expression</li>
 *   <li>{@code posedirs} [V, 3, P] as stored in SMPL-X files</li>
 *   <li>{@code jRegressor} [J, V]; {@code weights} [V, J], rows sum to 1</li>
 *   <li>{@code parents} [J], -1 for the root; a parent's index is smaller than its child's</li>
 *   <li>{@code lmkFaces} [L], {@code lmkBary} [L, 3]: landmarks as barycentric points on faces</li>
 *   <li>{@code regions} [V] indices into {@code regionNames}, or null when the file has none</li>
 *   <li>{@code uvs} [Vt, 2] and {@code uvFaces} [F, 3], or both null</li>
 * </ul>
 * Names lists have J, S, E and region-count entries; a file without names gets generated ones
 * (SMPL-X joint names when J is 55, {@code shape000}, {@code expr000} otherwise).
 */
public record HeadModel(
        String name,
        float[] vTemplate,
        int[] faces,
        float[] shapedirs,
        int numShape,
        int numExpression,
        float[] posedirs,
        float[] jRegressor,
        float[] weights,
        int[] parents,
        int[] lmkFaces,
        float[] lmkBary,
        List<String> jointNames,
        List<String> shapeNames,
        List<String> expressionNames,
        int[] regions,
        List<String> regionNames,
        float[] uvs,
        int[] uvFaces) {

    public int numVertices() {
        return vTemplate.length / 3;
    }

    public int numFaces() {
        return faces.length / 3;
    }

    public int numJoints() {
        return parents.length;
    }

    public int numLandmarks() {
        return lmkFaces.length;
    }

    /** Number of pose-corrective columns P: 9 (J - 1), or 0 for a model without pose correctives. */
    public int numPoseBasis() {
        return numVertices() == 0 ? 0 : posedirs.length / (numVertices() * 3);
    }

    /** Rest location [3] of joint {@code joint} of the unposed template, by the joint regressor. */
    public double[] restJoint(int joint) {
        int v = numVertices();
        double[] out = new double[3];
        for (int i = 0; i < v; i++) {
            double r = jRegressor[joint * v + i];
            if (r != 0) {
                for (int c = 0; c < 3; c++) out[c] += r * vTemplate[i * 3 + c];
            }
        }
        return out;
    }

    public boolean hasRegions() {
        return regions != null;
    }

    public boolean hasUvs() {
        return uvs != null && uvFaces != null;
    }
}
