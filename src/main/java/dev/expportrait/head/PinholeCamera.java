package dev.expportrait.head;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;

/**
 * A pinhole camera in the OpenCV convention (x right, y down, z forward), the projection Pi of Sec. 3.1.1.
 * A world point p goes to camera space as q = R p + t, then to pixels as (fx qx / qz + cx, fy qy / qz + cy),
 * with the centre of the top-left pixel at (0, 0), as in OpenCV.
 *
 * @param fx focal length in pixels along x
 * @param fy focal length in pixels along y
 * @param cx principal point x, pixels
 * @param cy principal point y, pixels
 * @param width image width, pixels
 * @param height image height, pixels
 * @param rotation [3, 3] world-to-camera rotation R, row-major
 * @param translation [3] world-to-camera translation t, metres
 */
public record PinholeCamera(double fx, double fy, double cx, double cy, int width, int height,
                            double[] rotation, double[] translation) {

    /**
     * A camera on the +z side of the model (where the face looks), at {@code distance} metres from
     * {@code target}, looking at it, image x along world +x and image y along world -y.
     */
    public static PinholeCamera facing(double[] target, double distance, double fovYDegrees, int width, int height) {
        double f = 0.5 * height / Math.tan(Math.toRadians(fovYDegrees) / 2);
        double[] r = {1, 0, 0, 0, -1, 0, 0, 0, -1};
        double[] centre = {target[0], target[1], target[2] + distance};
        double[] t = {-centre[0], centre[1], centre[2]}; // t = -R c
        return new PinholeCamera(f, f, width / 2.0, height / 2.0, width, height, r, t);
    }

    /**
     * World points to camera space.
     *
     * @param points [..., 3]
     * @return [..., 3]
     */
    public Tensor toCamera(Tensor points) {
        Tensor r = Tensors.doubles(rotation, 3, 3).to(points.scalar_type());
        Tensor t = Tensors.doubles(translation, 3).to(points.scalar_type());
        return points.matmul(r.t()).add(t);
    }

    /**
     * World points to pixel coordinates; differentiable.
     *
     * @param points [..., 3] metres
     * @return [..., 2] pixels
     */
    public Tensor project(Tensor points) {
        Tensor q = toCamera(points);
        long last = q.dim() - 1;
        Tensor z = q.narrow(last, 2, 1);
        Tensor u = q.narrow(last, 0, 1).div(z).mul(Tensors.scalar(fx)).add(Tensors.scalar(cx));
        Tensor v = q.narrow(last, 1, 1).div(z).mul(Tensors.scalar(fy)).add(Tensors.scalar(cy));
        return Tensors.cat(last, u, v);
    }
}
