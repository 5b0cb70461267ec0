package dev.expportrait.render;

import dev.expportrait.head.PinholeCamera;
import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;

/**
 * Pinhole intrinsics and image size, the part of {@link PinholeCamera} the renderer needs once vertices are
 * in camera space (OpenCV convention: x right, y down, z forward). A camera-space point q goes to pixel
 * (fx qx / qz + cx, fy qy / qz + cy); the centre of the top-left pixel is (0, 0), so pixel (x, y) samples
 * the point (x, y).
 *
 * @param fx focal length along x, pixels
 * @param fy focal length along y, pixels
 * @param cx principal point x, pixels
 * @param cy principal point y, pixels
 * @param width image width, pixels
 * @param height image height, pixels
 */
public record Intrinsics(double fx, double fy, double cx, double cy, int width, int height) {

    public Intrinsics {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
    }

    /** The intrinsics and image size of a camera. */
    public static Intrinsics of(PinholeCamera camera) {
        return new Intrinsics(camera.fx(), camera.fy(), camera.cx(), camera.cy(), camera.width(), camera.height());
    }

    /**
     * Camera-space points to pixel coordinates; differentiable.
     *
     * @param points [..., 3] metres, camera space
     * @return [..., 2] pixels
     */
    public Tensor project(Tensor points) {
        long last = points.dim() - 1;
        Tensor z = points.narrow(last, 2, 1);
        Tensor u = points.narrow(last, 0, 1).div(z).mul(Tensors.scalar(fx)).add(Tensors.scalar(cx));
        Tensor v = points.narrow(last, 1, 1).div(z).mul(Tensors.scalar(fy)).add(Tensors.scalar(cy));
        return Tensors.cat(last, u, v);
    }
}
