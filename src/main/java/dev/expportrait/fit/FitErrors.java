package dev.expportrait.fit;

import dev.expportrait.eval.GeometryMetrics;
import dev.expportrait.head.DenseHead;
import dev.expportrait.head.Joints;
import dev.expportrait.head.MeshNormals;
import dev.expportrait.head.PinholeCamera;
import dev.expportrait.head.Regions;
import dev.expportrait.head.Rodrigues;
import dev.expportrait.synth.ClipTruth;
import dev.expportrait.tensor.Tensors;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * How far a fit is from a synthetic clip's ground truth (the columns of the fitting accuracy benchmark).
 *
 * @param faceVertexError mean distance of the face vertices to the ground-truth posed mesh after removing each
 *     frame's mean offset of the face (as the NoW benchmark aligns before measuring: the distance to the camera
 *     is not observable from landmarks and scale-free depth), % of head width
 * @param faceVertexErrorAbsolute the same without the alignment, % of head width
 * @param visibleVertexError the aligned error over every vertex the camera sees (hair, ears, neck and
 *     clothing too, where D_id lives), % of head width
 * @param medianFaceNormalError median angle between fitted and true vertex normals on the face, degrees
 * @param landmarkError mean distance of the fitted landmarks' projections to the exact landmarks, pixels
 * @param identityCorrelation Pearson correlation of the fitted D_id with the true one over the vertices the
 *     camera sees (front-facing in some frame)
 * @param leakage |mean over frames of D_exp,t| / |D_id| (Frobenius norms): static geometry in the dynamic field
 * @param expressionError mean absolute error of the expression coefficients
 * @param headRotationError mean angle between fitted and true head orientation (global, neck, head composed), degrees
 * @param jawError mean angle between fitted and true jaw rotation, degrees
 */
public record FitErrors(double faceVertexError, double faceVertexErrorAbsolute, double visibleVertexError, double medianFaceNormalError, double landmarkError, double identityCorrelation,
                        double leakage, double expressionError, double headRotationError, double jawError) {

    public static FitErrors of(DenseHead head, PersonalHead fit, ClipTruth truth) {
        int t = fit.frames(), vd = head.numVertices();
        int[] regions = head.regions();
        int[] face = Regions.faceVertices(regions);
        int[] headVertices = IntStream.range(0, vd).filter(v -> regions[v] != Regions.NECK && regions[v] != Regions.SHOULDERS).toArray();
        float[] fitted, exact;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor f = fit.pose(head, 0, t).vertices();
            fitted = Tensors.toFloats(f);
            exact = Tensors.toFloats(truth.posed(head, 0, t));
        }
        double width = extentX(exact, vd, headVertices);
        double vertexErrorAbsolute = 100 * GeometryMetrics.meanVertexError(fitted, exact, vd, face) / width;
        float[] aligned = GeometryMetrics.alignMeans(fitted, exact, vd, face);
        double vertexError = 100 * GeometryMetrics.meanVertexError(aligned, exact, vd, face) / width;
        int[] faces = head.faces();
        float[] nFit = normals(fitted, faces, vd), nTrue = normals(exact, faces, vd);
        double normalError = GeometryMetrics.median(GeometryMetrics.normalAngles(nFit, nTrue, vd, face));

        float[] projected = new float[t * head.landmarks().size() * 2];
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            for (int i = 0; i < t; i++) {
                Tensor lm = head.landmarks().evaluate(Tensors.floats(Arrays.copyOfRange(fitted, i * vd * 3, (i + 1) * vd * 3), 1, vd, 3));
                float[] px = Tensors.toFloats(fit.camera(i).project(lm));
                System.arraycopy(px, 0, projected, i * px.length, px.length);
            }
        }
        double landmarkError = GeometryMetrics.meanPointDistance(projected, truth.landmarks());

        int[] seen = visible(exact, nTrue, vd, fit.camera(0));
        double visibleError = 100 * GeometryMetrics.meanVertexError(aligned, exact, vd, seen) / width;
        double correlation = GeometryMetrics.correlation(fit.identityOffsets(), truth.identityOffsets(), seen);
        double leakage = GeometryMetrics.norm(meanOverFrames(fit.expressionOffsets(), t)) / Math.max(1e-12, GeometryMetrics.norm(fit.identityOffsets()));
        double exprError = GeometryMetrics.meanAbsoluteError(fit.expression(), truth.expression());
        int j = head.coarse().numJoints();
        return new FitErrors(vertexError, vertexErrorAbsolute, visibleError, normalError, landmarkError, correlation, leakage, exprError,
                rotationError(fit.pose(), truth.pose(), t, j, new int[] {Joints.PELVIS, Joints.SPINE1, Joints.SPINE2, Joints.SPINE3, Joints.NECK, Joints.HEAD}),
                rotationError(fit.pose(), truth.pose(), t, j, new int[] {Joints.JAW}));
    }

    private static double extentX(float[] v, int vd, int[] ids) {
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (int i : ids) {
            lo = Math.min(lo, v[i * 3]);
            hi = Math.max(hi, v[i * 3]);
        }
        return hi - lo;
    }

    private static float[] normals(float[] vertices, int[] faces, int vd) {
        int t = vertices.length / (vd * 3);
        float[] out = new float[vertices.length];
        for (int i = 0; i < t; i++) {
            float[] n = MeshNormals.vertexNormals(Arrays.copyOfRange(vertices, i * vd * 3, (i + 1) * vd * 3), faces);
            System.arraycopy(n, 0, out, i * vd * 3, vd * 3);
        }
        return out;
    }

    /** Vertices whose normal faces the camera centre in at least one frame. */
    private static int[] visible(float[] vertices, float[] normals, int vd, PinholeCamera camera) {
        double[] r = camera.rotation(), tr = camera.translation();
        double[] c = new double[3]; // centre = -R^T t
        for (int a = 0; a < 3; a++) c[a] = -(r[a] * tr[0] + r[3 + a] * tr[1] + r[6 + a] * tr[2]);
        int t = vertices.length / (vd * 3);
        boolean[] seen = new boolean[vd];
        for (int i = 0; i < t; i++) {
            for (int v = 0; v < vd; v++) {
                int o = (i * vd + v) * 3;
                double dot = 0;
                for (int a = 0; a < 3; a++) dot += normals[o + a] * (c[a] - vertices[o + a]);
                seen[v] |= dot > 0;
            }
        }
        return IntStream.range(0, vd).filter(v -> seen[v]).toArray();
    }

    private static float[] meanOverFrames(float[] x, int frames) {
        int n = x.length / frames;
        float[] m = new float[n];
        for (int t = 0; t < frames; t++) for (int i = 0; i < n; i++) m[i] += x[t * n + i] / frames;
        return m;
    }

    /** Mean angle of R_fit^T R_true over frames, where R composes the given chain of joints (parent first). */
    private static double rotationError(float[] fitPose, float[] truePose, int frames, int joints, int[] chain) {
        double sum = 0;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            for (int t = 0; t < frames; t++) {
                double[] a = compose(fitPose, t, joints, chain), b = compose(truePose, t, joints, chain);
                double trace = 0; // trace(A^T B)
                for (int k = 0; k < 9; k++) trace += a[k] * b[k];
                sum += Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, (trace - 1) / 2))));
            }
        }
        return sum / frames;
    }

    private static double[] compose(float[] pose, int t, int joints, int[] chain) {
        float[] aa = new float[chain.length * 3];
        for (int i = 0; i < chain.length; i++) System.arraycopy(pose, (t * joints + chain[i]) * 3, aa, i * 3, 3);
        double[] m = Tensors.toDoubles(Rodrigues.toMatrix(Tensors.floats(aa, chain.length, 3)).to(org.bytedeco.pytorch.global.torch.ScalarType.Double));
        double[] r = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        for (int i = 0; i < chain.length; i++) {
            double[] n = new double[9];
            for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) for (int k = 0; k < 3; k++) n[a * 3 + b] += r[a * 3 + k] * m[i * 9 + k * 3 + b];
            r = n;
        }
        return r;
    }
}
