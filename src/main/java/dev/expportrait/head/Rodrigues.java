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

    /**
     * The inverse of {@link #toMatrix}: the rotation vector of a rotation matrix, angle in [0, pi].
     *
     * @param m [3, 3] row-major rotation matrix
     * @return [3] axis-angle, radians
     */
    public static double[] toAxisAngle(double[] m) {
        double cos = Math.max(-1, Math.min(1, (m[0] + m[4] + m[8] - 1) / 2));
        double angle = Math.acos(cos);
        double[] v = {m[7] - m[5], m[2] - m[6], m[3] - m[1]}; // 2 sin(angle) * axis
        double sin2 = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (angle < 1e-6) {
            return new double[] {v[0] / 2, v[1] / 2, v[2] / 2};
        }
        if (Math.PI - angle > 1e-3) {
            double k = angle / sin2;
            return new double[] {v[0] * k, v[1] * k, v[2] * k};
        }
        // Near pi, sin is too small to divide by. The symmetric part of R is cos I + (1 - cos) a a^T, so
        // a a^T = (S - cos I) / (1 - cos); its column with the largest diagonal gives the axis accurately.
        double[] outer = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) outer[r * 3 + k] = ((m[r * 3 + k] + m[k * 3 + r]) / 2 - (r == k ? cos : 0)) / (1 - cos);
        }
        int c = outer[0] >= outer[4] && outer[0] >= outer[8] ? 0 : outer[4] >= outer[8] ? 1 : 2;
        double[] a = {outer[c], outer[3 + c], outer[6 + c]};
        double len = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
        // Keep the sign that agrees with the (small) antisymmetric part, so angles just below pi stay continuous.
        double sign = v[0] * a[0] + v[1] * a[1] + v[2] * a[2] < 0 ? -1 : 1;
        return new double[] {sign * angle * a[0] / len, sign * angle * a[1] / len, sign * angle * a[2] / len};
    }
}
