package dev.expportrait.head;

import dev.expportrait.io.InputException;
import java.util.Arrays;

/**
 * The head-and-shoulders vertex subset S of paper Eq. 1, with the faces restricted to it and re-indexed.
 *
 * @param vertexIds [Vs] indices into the full model's vertices, ascending
 * @param faces [Fs, 3] faces over subset indices, orientation kept
 * @param faceIds [Fs] the full model's face index of every subset face
 */
public record HeadSubset(int[] vertexIds, int[] faces, int[] faceIds) {

    public int numVertices() {
        return vertexIds.length;
    }

    public int numFaces() {
        return faces.length / 3;
    }

    /**
     * How S is chosen from the skinning weights: a vertex belongs to S when at least half of its weight is
     * on the neck, head, jaw and eye joints, or when at least half is on those plus the upper spine,
     * collars and shoulders and it lies no lower than {@code belowNeck} metres under the neck joint and no
     * farther than {@code halfWidth} metres sideways from it (which keeps the shoulders, not the arms).
     */
    public record Rule(double belowNeck, double halfWidth) {
        public static final Rule DEFAULT = new Rule(0.30, 0.25);
    }

    /** Every vertex and face of the model (for {@code --subset all}). */
    public static HeadSubset all(HeadModel m) {
        int[] ids = new int[m.numVertices()];
        Arrays.setAll(ids, i -> i);
        int[] faceIds = new int[m.numFaces()];
        Arrays.setAll(faceIds, i -> i);
        return new HeadSubset(ids, m.faces().clone(), faceIds);
    }

    /** S by {@link Rule#DEFAULT}. */
    public static HeadSubset select(HeadModel m) {
        return select(m, Rule.DEFAULT);
    }

    public static HeadSubset select(HeadModel m, Rule rule) {
        int j = m.numJoints();
        if (j <= Joints.NECK) {
            throw new InputException("model " + m.name() + ": has " + j + " joints, the head subset needs SMPL-X joints up to neck (12) and head (15)");
        }
        int[] head = present(j, Joints.NECK, Joints.HEAD, Joints.JAW, Joints.LEFT_EYE, Joints.RIGHT_EYE);
        int[] upper = present(j, Joints.SPINE3, Joints.LEFT_COLLAR, Joints.RIGHT_COLLAR, Joints.LEFT_SHOULDER, Joints.RIGHT_SHOULDER);
        double[] neck = m.restJoint(Joints.NECK);
        int v = m.numVertices();
        boolean[] keep = new boolean[v];
        float[] w = m.weights();
        float[] p = m.vTemplate();
        for (int i = 0; i < v; i++) {
            double headWeight = 0, upperWeight = 0;
            for (int a : head) headWeight += w[i * j + a];
            for (int a : upper) upperWeight += w[i * j + a];
            boolean nearNeck = p[i * 3 + 1] >= neck[1] - rule.belowNeck() && Math.abs(p[i * 3] - neck[0]) <= rule.halfWidth();
            keep[i] = headWeight >= 0.5 || (headWeight + upperWeight >= 0.5 && nearNeck);
        }
        return fromVertexMask(m, keep);
    }

    /** The faces whose three vertices are all kept, and the vertices they use. */
    static HeadSubset fromVertexMask(HeadModel m, boolean[] keep) {
        int[] f = m.faces();
        int nf = m.numFaces();
        boolean[] used = new boolean[m.numVertices()];
        int keptFaces = 0;
        for (int i = 0; i < nf; i++) {
            if (keep[f[i * 3]] && keep[f[i * 3 + 1]] && keep[f[i * 3 + 2]]) {
                keptFaces++;
                used[f[i * 3]] = used[f[i * 3 + 1]] = used[f[i * 3 + 2]] = true;
            }
        }
        if (keptFaces == 0) {
            throw new InputException("model " + m.name() + ": the head-and-shoulders subset is empty (skinning weights name no head joints?)");
        }
        int[] newIndex = new int[m.numVertices()];
        int count = 0;
        for (int i = 0; i < used.length; i++) {
            newIndex[i] = used[i] ? count++ : -1;
        }
        int[] ids = new int[count];
        for (int i = 0; i < used.length; i++) {
            if (used[i]) ids[newIndex[i]] = i;
        }
        int[] faces = new int[keptFaces * 3];
        int[] faceIds = new int[keptFaces];
        int n = 0;
        for (int i = 0; i < nf; i++) {
            if (keep[f[i * 3]] && keep[f[i * 3 + 1]] && keep[f[i * 3 + 2]]) {
                faceIds[n] = i;
                for (int k = 0; k < 3; k++) faces[n * 3 + k] = newIndex[f[i * 3 + k]];
                n++;
            }
        }
        return new HeadSubset(ids, faces, faceIds);
    }

    /** Rows of a per-vertex array [V, channels] for the subset: [Vs, channels]. */
    public float[] gather(float[] perVertex, int channels) {
        float[] out = new float[vertexIds.length * channels];
        for (int i = 0; i < vertexIds.length; i++) {
            System.arraycopy(perVertex, vertexIds[i] * channels, out, i * channels, channels);
        }
        return out;
    }

    /** Labels [V] for the subset: [Vs]. */
    public int[] gather(int[] perVertex) {
        int[] out = new int[vertexIds.length];
        for (int i = 0; i < vertexIds.length; i++) out[i] = perVertex[vertexIds[i]];
        return out;
    }

    /** The subset face index of a full-model face, or -1 when that face is not in S. */
    public int subsetFace(int fullFace) {
        int i = Arrays.binarySearch(faceIds, fullFace);
        return i >= 0 ? i : -1;
    }

    private static int[] present(int numJoints, int... joints) {
        return Arrays.stream(joints).filter(a -> a < numJoints).toArray();
    }
}
