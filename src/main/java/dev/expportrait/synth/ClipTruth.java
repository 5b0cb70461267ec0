package dev.expportrait.synth;

import dev.expportrait.head.DenseHead;
import dev.expportrait.io.InputException;
import dev.expportrait.io.SafeTensors;
import dev.expportrait.io.SafeTensorsFile;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Path;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The exact ground truth of a synthetic clip, read back from its {@code clip.safetensors}, for scoring fits.
 *
 * @param betas [S]
 * @param expression [T, E]
 * @param pose [T, J, 3] axis-angle
 * @param translation [T, 3] metres
 * @param identityOffsets D_id [Vd, 3] metres
 * @param faceVertices [Nf] dense vertex ids where D_exp,t is stored
 * @param expressionOffsets D_exp,t on the face vertices [T, Nf, 3] metres
 * @param landmarks [T, L, 2] exact landmark projections, pixels
 */
public record ClipTruth(float[] betas, float[] expression, float[] pose, float[] translation, float[] identityOffsets,
                        int[] faceVertices, float[] expressionOffsets, float[] landmarks) {

    public int frames() {
        return translation.length / 3;
    }

    public static ClipTruth read(Path clipDir) {
        Path file = clipDir.resolve("clip.safetensors");
        try (SafeTensorsFile st = SafeTensors.read(file)) {
            if (!ClipWriter.FORMAT.equals(st.metadata().get("format"))) {
                throw new InputException(file + ": not a synthetic clip (format " + st.metadata().get("format") + ")");
            }
            return new ClipTruth(st.get("betas").toFloatArray(), st.get("expression").toFloatArray(), st.get("pose").toFloatArray(),
                    st.get("translation").toFloatArray(), st.get("identityOffsets").toFloatArray(), st.get("faceVertices").toIntArray(),
                    st.get("expressionOffsets").toFloatArray(), st.get("landmarks").toFloatArray());
        }
    }

    /**
     * The ground truth of a clip folder, or null when its {@code clip.safetensors} holds none (a clip from
     * another source, or one without the fields). Errors reading the file are InputExceptions, as in {@link #read}.
     */
    public static ClipTruth readIfPresent(Path clipDir) {
        Path file = clipDir.resolve("clip.safetensors");
        try (SafeTensorsFile st = SafeTensors.read(file)) {
            for (String name : new String[] {"betas", "expression", "pose", "translation", "identityOffsets", "faceVertices",
                    "expressionOffsets", "landmarks"}) {
                if (!st.has(name)) return null;
            }
        }
        return read(clipDir);
    }

    /** Frames t0 .. t0+n-1 alone (to score a fit of part of the clip); the static fields are shared, not copied. */
    public ClipTruth frames(int t0, int n) {
        int t = frames();
        if (t0 < 0 || n < 1 || t0 + n > t) {
            throw new IndexOutOfBoundsException("frames " + t0 + " .. " + (t0 + n - 1) + " of " + t);
        }
        return new ClipTruth(betas, rows(expression, t, t0, n), rows(pose, t, t0, n), rows(translation, t, t0, n), identityOffsets,
                faceVertices, rows(expressionOffsets, t, t0, n), rows(landmarks, t, t0, n));
    }

    /** Rows t0 .. t0+n-1 of a frame-major array of {@code frames} frames. */
    private static float[] rows(float[] a, int frames, int t0, int n) {
        int per = a.length / frames;
        return java.util.Arrays.copyOfRange(a, t0 * per, (t0 + n) * per);
    }

    /** D_exp,t of frames t0.. t0+n-1 scattered onto the whole dense mesh: [n, Vd, 3]. */
    public Tensor expressionOffsetsDense(int vd, int t0, int n) {
        int nf = faceVertices.length;
        float[] rows = java.util.Arrays.copyOfRange(expressionOffsets, t0 * nf * 3, (t0 + n) * nf * 3);
        return torch.index_copy(torch.zeros(n, vd, 3), 1, Tensors.longs(faceVertices, nf), Tensors.floats(rows, n, nf, 3));
    }

    /** The ground-truth posed dense meshes of frames t0..t0+n-1: [n, Vd, 3]. */
    public Tensor posed(DenseHead head, int t0, int n) {
        int vd = head.numVertices();
        if (identityOffsets.length != vd * 3) {
            throw new InputException("clip has " + identityOffsets.length / 3 + " dense vertices, the head at this level has " + vd
                    + " (fit at the clip's level)");
        }
        int s = betas.length, e = expression.length / frames(), j = pose.length / frames() / 3;
        float[] b = new float[n * s];
        for (int t = 0; t < n; t++) System.arraycopy(betas, 0, b, t * s, s);
        return head.pose(Tensors.floats(b, n, s),
                Tensors.floats(java.util.Arrays.copyOfRange(expression, t0 * e, (t0 + n) * e), n, e),
                Tensors.floats(java.util.Arrays.copyOfRange(pose, t0 * j * 3, (t0 + n) * j * 3), n, j, 3),
                Tensors.floats(java.util.Arrays.copyOfRange(translation, t0 * 3, (t0 + n) * 3), n, 3),
                Tensors.floats(identityOffsets, vd, 3), expressionOffsetsDense(vd, t0, n)).vertices();
    }
}
