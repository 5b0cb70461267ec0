package dev.expportrait.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import java.util.Random;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

class RodriguesTest {
    /**
     * Rodrigues' formula written out in doubles with an exactly unit axis: the reference. (toMatrix adds 1e-8
     * to r before its norm, as smplx does, which near pi leaves a matrix about 1e-8 from orthogonal, and acos
     * turns that into 1e-4 of angle.)
     */
    private static double[] matrix(double[] r) {
        double angle = Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
        if (angle == 0) return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
        double x = r[0] / angle, y = r[1] / angle, z = r[2] / angle, s = Math.sin(angle), c = 1 - Math.cos(angle);
        double[] k = {0, -z, y, z, 0, -x, -y, x, 0};
        double[] out = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double k2 = 0;
                for (int m = 0; m < 3; m++) k2 += k[i * 3 + m] * k[m * 3 + j];
                out[i * 3 + j] = (i == j ? 1 : 0) + s * k[i * 3 + j] + c * k2;
            }
        }
        return out;
    }

    @Test
    void theReferenceAgreesWithToMatrixAwayFromPi() {
        double[] r = {0.3, -0.2, 0.5};
        double[] t = Tensors.toDoubles(Rodrigues.toMatrix(Tensors.doubles(r, 1, 3).to(ScalarType.Double)));
        double[] m = matrix(r);
        for (int i = 0; i < 9; i++) assertThat(m[i]).isCloseTo(t[i], within(1e-7));
    }

    @Test
    void toAxisAngleInvertsToMatrixFromZeroToAlmostPi() {
        Random random = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            double[] axis = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double len = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
            // Angles from 1e-7 (the small-angle branch) to just below pi (the near-pi branch).
            double angle = trial < 20 ? 1e-7 * (trial + 1) : trial < 40 ? Math.PI - 1e-5 * (trial - 19) : Math.PI * random.nextDouble();
            double[] r = {axis[0] / len * angle, axis[1] / len * angle, axis[2] / len * angle};
            double[] back = Rodrigues.toAxisAngle(matrix(r));
            // Compare rotations, not vectors (near pi, r and -r are nearly the same rotation).
            double[] a = matrix(r), b = matrix(back);
            for (int i = 0; i < 9; i++) assertThat(b[i]).as("trial %d, angle %g", trial, angle).isCloseTo(a[i], within(1e-6));
            if (angle < Math.PI - 1e-3) {
                for (int c = 0; c < 3; c++) assertThat(back[c]).as("trial %d", trial).isCloseTo(r[c], within(1e-6));
            }
        }
    }

    @Test
    void identityGivesTheZeroVector() {
        assertThat(Rodrigues.toAxisAngle(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1})).containsExactly(0, 0, 0);
    }
}
