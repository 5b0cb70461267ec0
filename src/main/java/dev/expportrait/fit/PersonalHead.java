package dev.expportrait.fit;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.Lbs;
import dev.expportrait.head.PinholeCamera;
import dev.expportrait.io.InputException;
import dev.expportrait.tensor.Tensors;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The personalized head representation of a clip (paper Sec. 3.1), as fitted: the base model's shape,
 * per-frame expression and pose, the camera, the static identity offset field D_id on the dense mesh and
 * the per-frame expression offset fields D_exp,t on its face region. T frames, S shape and E expression
 * coefficients, J joints, Vd dense vertices, Nf face vertices. Arrays are row-major; as with every record
 * holding arrays, equals compares them by reference.
 *
 * @param model the head model's name
 * @param level the upsampling level of the dense mesh
 * @param fps frames per second of the clip
 * @param source what was fitted (a clip folder or an image)
 * @param width image width, pixels
 * @param height image height, pixels
 * @param betas [S] shape coefficients, shared by the clip
 * @param expression [T, E] expression coefficients
 * @param pose [T, J, 3] axis-angle per joint, radians
 * @param translation [T, 3] metres
 * @param intrinsics [T, 4] fx, fy, cx, cy per frame, pixels
 * @param rotation [3, 3] world-to-camera rotation, row-major
 * @param cameraTranslation [3] world-to-camera translation, metres
 * @param identityOffsets D_id [Vd, 3] metres
 * @param faceVertices [Nf] dense vertex ids of the face region, where D_exp lives
 * @param expressionOffsets D_exp,t [T, Nf, 3] metres
 * @param losses the final value of each loss term, by name
 */
public record PersonalHead(String model, int level, double fps, String source, int width, int height,
                           int numShape, int numExpression, int numJoints,
                           float[] betas, float[] expression, float[] pose, float[] translation, float[] intrinsics,
                           double[] rotation, double[] cameraTranslation, float[] identityOffsets, int[] faceVertices,
                           float[] expressionOffsets, Map<String, Double> losses) {

    /** Checks every array against the counts (IllegalArgumentException naming the first that does not fit). */
    public PersonalHead {
        require(model != null && source != null && losses != null, "model, source and losses are required");
        require(level >= 0 && width >= 1 && height >= 1 && fps > 0 && Double.isFinite(fps),
                "level " + level + ", size " + width + "x" + height + ", fps " + fps + " are out of range");
        require(numShape >= 0 && numExpression >= 0 && numJoints >= 1, "counts S " + numShape + ", E " + numExpression + ", J " + numJoints + " are out of range");
        require(translation != null && translation.length >= 3 && translation.length % 3 == 0, "translation must be [T, 3], T >= 1");
        int t = translation.length / 3;
        length("betas", betas, numShape);
        length("expression", expression, t * numExpression);
        length("pose", pose, t * numJoints * 3);
        length("intrinsics", intrinsics, t * 4);
        require(rotation != null && rotation.length == 9, "rotation must be [3, 3]");
        require(cameraTranslation != null && cameraTranslation.length == 3, "cameraTranslation must be [3]");
        require(identityOffsets != null && identityOffsets.length >= 3 && identityOffsets.length % 3 == 0, "identityOffsets must be [Vd, 3], Vd >= 1");
        require(faceVertices != null, "faceVertices is required");
        int vd = identityOffsets.length / 3;
        for (int v : faceVertices) {
            require(v >= 0 && v < vd, "faceVertices holds " + v + ", outside the " + vd + " dense vertices");
        }
        length("expressionOffsets", expressionOffsets, t * faceVertices.length * 3);
        losses = Collections.unmodifiableMap(new LinkedHashMap<>(losses));
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    private static void length(String name, float[] a, int expected) {
        require(a != null, name + " is required");
        require(a.length == expected, name + " has " + a.length + " values, expected " + expected);
    }

    /** T. */
    public int frames() {
        return translation.length / 3;
    }

    /** Vd. */
    public int denseVertices() {
        return identityOffsets.length / 3;
    }

    /** Nf. */
    public int numFaceVertices() {
        return faceVertices.length;
    }

    /** The camera of frame {@code t} for an image of {@code width} x {@code height} pixels. */
    public PinholeCamera camera(int t, int width, int height) {
        int k = checkFrame(t) * 4;
        return new PinholeCamera(intrinsics[k], intrinsics[k + 1], intrinsics[k + 2], intrinsics[k + 3], width, height,
                rotation.clone(), cameraTranslation.clone());
    }

    /** The camera of frame {@code t} at the fitted image size. */
    public PinholeCamera camera(int t) {
        return camera(t, width, height);
    }

    /**
     * D_exp of frames t0 .. t0+n-1 on the whole dense mesh: the face offsets scattered into zeros.
     *
     * @return [n, Vd, 3] float32
     */
    public Tensor expressionOffsetsDense(int t0, int n) {
        checkRange(t0, n);
        int vd = denseVertices(), nf = faceVertices.length;
        float[] dense = new float[n * vd * 3];
        for (int f = 0; f < n; f++) {
            for (int i = 0; i < nf; i++) {
                System.arraycopy(expressionOffsets, ((t0 + f) * nf + i) * 3, dense, (f * vd + faceVertices[i]) * 3, 3);
            }
        }
        return Tensors.floats(dense, n, vd, 3);
    }

    /**
     * The detailed posed dense meshes of frames t0 .. t0+n-1 (Eq. 3-4). {@code head} must be the model and
     * level this head was fitted with (InputException otherwise).
     */
    public Lbs.Posed pose(DenseHead head, int t0, int n) {
        checkRange(t0, n);
        if (!head.model().name().equals(model) || head.numVertices() != denseVertices()) {
            throw new InputException("personal head of " + source + " was fitted on model " + model + " with " + denseVertices()
                    + " dense vertices (level " + level + "), but the head given is " + head.model().name() + " with " + head.numVertices());
        }
        ScalarType type = head.denseWeights().scalar_type();
        float[] betaRows = new float[n * numShape];
        for (int f = 0; f < n; f++) System.arraycopy(betas, 0, betaRows, f * numShape, numShape);
        return head.pose(Tensors.of(betaRows, type, n, numShape),
                Tensors.of(slice(expression, t0, n, numExpression), type, n, numExpression),
                Tensors.of(slice(pose, t0, n, numJoints * 3), type, n, numJoints, 3),
                Tensors.of(slice(translation, t0, n, 3), type, n, 3),
                Tensors.of(identityOffsets, type, denseVertices(), 3),
                expressionOffsetsDense(t0, n).to(type));
    }

    private static float[] slice(float[] a, int t0, int n, int per) {
        return java.util.Arrays.copyOfRange(a, t0 * per, (t0 + n) * per);
    }

    private int checkFrame(int t) {
        if (t < 0 || t >= frames()) throw new IndexOutOfBoundsException("frame " + t + " of " + frames());
        return t;
    }

    private void checkRange(int t0, int n) {
        if (t0 < 0 || n < 1 || t0 + n > frames()) {
            throw new IndexOutOfBoundsException("frames " + t0 + " .. " + (t0 + n - 1) + " of " + frames());
        }
    }
}
