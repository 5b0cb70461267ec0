package dev.expportrait.fit;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.head.PinholeCamera;
import dev.expportrait.io.InputException;
import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The cameras of a clip's frames: one world-to-camera pose (R, t) and per-frame intrinsics [T, 4]
 * (fx, fy, cx, cy; they differ when the camera shakes), with an optional learnable focal scale exp(s) for
 * clips whose camera is unknown.
 *
 * <p>The focal length is the same in every frame (a shaking camera moves the principal point, as a small
 * rotation would); the renderer then draws a batch through one camera with per-frame principal shifts.
 */
final class FrameCameras {
    private final double[] rotation;
    private final double[] translation;
    private final float[] intrinsics;
    private final int width, height;
    private final Tensor logFocal;

    /**
     * @param intrinsics [T, 4] pixels
     * @param learnFocal optimize a common focal scale (camera unknown)
     */
    FrameCameras(double[] rotation, double[] translation, float[] intrinsics, int width, int height, boolean learnFocal) {
        for (int t = 1; t < intrinsics.length / 4; t++) {
            if (intrinsics[t * 4] != intrinsics[0] || intrinsics[t * 4 + 1] != intrinsics[1]) {
                throw new InputException("frame " + t + " has focal length (" + intrinsics[t * 4] + ", " + intrinsics[t * 4 + 1]
                        + ") px, frame 0 (" + intrinsics[0] + ", " + intrinsics[1] + "): the fit needs one focal length per clip");
            }
        }
        this.rotation = rotation.clone();
        this.translation = translation.clone();
        this.intrinsics = intrinsics.clone();
        this.width = width;
        this.height = height;
        this.logFocal = torch.zeros(1).set_requires_grad(learnFocal);
    }

    /** The learnable log focal scale [1] (requires grad only when the camera is unknown). */
    Tensor logFocal() {
        return logFocal;
    }

    boolean learnsFocal() {
        return logFocal.requires_grad();
    }

    int frames() {
        return intrinsics.length / 4;
    }

    /** Frame t's camera with the current focal scale. */
    PinholeCamera camera(int t) {
        double s = Math.exp(logFocal.item_double());
        return new PinholeCamera(intrinsics[t * 4] * s, intrinsics[t * 4 + 1] * s, intrinsics[t * 4 + 2], intrinsics[t * 4 + 3],
                width, height, rotation, translation);
    }

    /** The intrinsics [T, 4] with the current focal scale applied. */
    float[] currentIntrinsics() {
        float s = (float) Math.exp(logFocal.item_double());
        float[] k = intrinsics.clone();
        for (int t = 0; t < frames(); t++) {
            k[t * 4] *= s;
            k[t * 4 + 1] *= s;
        }
        return k;
    }

    /** World points [B, N, 3] to camera space [B, N, 3]. */
    Tensor toCamera(Tensor world) {
        return camera(0).toCamera(world);
    }

    /**
     * World points to pixels with each frame's intrinsics; differentiable in the points and the focal scale.
     *
     * @param world [B, N, 3] metres
     * @param frames [B] frame index of each batch row
     * @return [B, N, 2] pixels
     */
    Tensor project(Tensor world, int[] frames) {
        Tensor q = toCamera(world);
        Tensor k = rows(frames); // [B, 1, 4]
        Tensor focal = logFocal.exp();
        Tensor z = q.narrow(2, 2, 1);
        Tensor u = q.narrow(2, 0, 1).div(z).mul(k.narrow(2, 0, 1).mul(focal)).add(k.narrow(2, 2, 1));
        Tensor v = q.narrow(2, 1, 1).div(z).mul(k.narrow(2, 1, 1).mul(focal)).add(k.narrow(2, 3, 1));
        return Tensors.cat(2, u, v);
    }

    /**
     * The camera the renderer uses for every frame, at 1/{@code scale} size: frame 0's with the current focal
     * scale; frame t differs from it only by its principal point ({@link #principalShifts}).
     */
    PinholeCamera renderCamera(int scale) {
        PinholeCamera c = camera(0);
        return new PinholeCamera(c.fx() / scale, c.fy() / scale, (c.cx() + 0.5) / scale - 0.5, (c.cy() + 0.5) / scale - 0.5,
                width / scale, height / scale, rotation, translation);
    }

    /** Principal points of the given frames relative to frame 0's, at 1/{@code scale} size: [B, 2] pixels. */
    float[] principalShifts(int[] frames, int scale) {
        float[] s = new float[frames.length * 2];
        for (int i = 0; i < frames.length; i++) {
            s[2 * i] = (intrinsics[frames[i] * 4 + 2] - intrinsics[2]) / scale;
            s[2 * i + 1] = (intrinsics[frames[i] * 4 + 3] - intrinsics[3]) / scale;
        }
        return s;
    }

    private Tensor rows(int[] frames) {
        float[] k = new float[frames.length * 4];
        for (int i = 0; i < frames.length; i++) System.arraycopy(intrinsics, frames[i] * 4, k, i * 4, 4);
        return Tensors.floats(k, frames.length, 1, 4);
    }
}
