package dev.expportrait.head;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Axis-angle to rotation matrix (Rodrigues' formula), batched and differentiable, float32 or float64. */
public final class Rodrigues {
    private Rodrigues() {}

    /**
     * R = I + sin(a) K + (1 - cos(a)) K^2 with a = |r| and K the cross-product matrix of r / a.
     *
     * @param axisAngle [N, 3] rotation vectors in radians
     * @return [N, 3, 3] rotation matrices, same dtype
     */
    public static Tensor toMatrix(Tensor axisAngle) {
        // As smplx: the 1e-8 keeps the norm (and its gradient) finite at the zero rotation.
        Tensor angle = axisAngle.add(scalar(1e-8)).norm(new org.bytedeco.pytorch.ScalarOptional(scalar(2)), new long[] {1}, true);
        Tensor dir = axisAngle.div(angle);
        Tensor sin = angle.sin().unsqueeze(2);
        Tensor cos = angle.cos().unsqueeze(2);
        Tensor k = crossMatrix(dir);
        long n = axisAngle.size(0);
        Tensor eye = torch.eye(3).to(axisAngle.scalar_type()).unsqueeze(0).expand(n, 3, 3);
        return eye.add(sin.mul(k)).add(cos.neg().add(scalar(1)).mul(k.bmm(k)));
    }

    /**
     * The skew-symmetric matrix [v]x with [v]x w = v x w.
     *
     * @param v [N, 3]
     * @return [N, 3, 3]
     */
    public static Tensor crossMatrix(Tensor v) {
        Tensor x = v.select(1, 0);
        Tensor y = v.select(1, 1);
        Tensor z = v.select(1, 2);
        Tensor zero = torch.zeros_like(x);
        return Tensors.stack(1, zero, z.neg(), y, z, zero, x.neg(), y.neg(), x, zero).reshape(-1, 3, 3);
    }
}
