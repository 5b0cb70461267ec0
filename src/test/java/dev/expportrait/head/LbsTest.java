package dev.expportrait.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

class LbsTest {
    private static final int V = 12, J = 5, S = 4, E = 3;

    private static double[] randn(Random r, int n, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian() * scale;
        }
        return x;
    }

    private static Lbs.Posed pose(HeadTensors t, double[] betas, double[] expr, double[] pose, int frames) {
        return Lbs.forward(t,
                Tensors.doubles(betas, frames, betas.length / frames),
                Tensors.doubles(expr, frames, expr.length / frames),
                Tensors.doubles(pose, frames, J, 3),
                null);
    }

    @Test
    void zeroPoseAndCoefficientsGiveTheTemplate() {
        HeadModel m = TinyModels.random(1, V, J, S, E, true);
        HeadTensors t = HeadTensors.of(m, ScalarType.Double);
        double[] out = Tensors.toDoubles(pose(t, new double[S], new double[E], new double[J * 3], 1).vertices());
        for (int i = 0; i < out.length; i++) {
            assertThat(out[i]).isCloseTo(m.vTemplate()[i], within(1e-7));
        }
    }

    @Test
    void matchesAnIndependentLoopImplementationOverSeveralFrames() {
        HeadModel m = TinyModels.random(2, V, J, S, E, true);
        HeadTensors t = HeadTensors.of(m, ScalarType.Double);
        Random r = new Random(3);
        int frames = 3;
        double[] betas = randn(r, frames * S, 1);
        double[] expr = randn(r, frames * E, 1);
        double[] pose = randn(r, frames * J * 3, 0.5);
        double[] got = Tensors.toDoubles(pose(t, betas, expr, pose, frames).vertices());
        for (int f = 0; f < frames; f++) {
            double[][] p = new double[J][3];
            for (int a = 0; a < J; a++) {
                for (int c = 0; c < 3; c++) {
                    p[a][c] = pose[(f * J + a) * 3 + c];
                }
            }
            double[] b = java.util.Arrays.copyOfRange(betas, f * S, (f + 1) * S);
            double[] e = java.util.Arrays.copyOfRange(expr, f * E, (f + 1) * E);
            double[][] want = NaiveLbs.pose(m, b, e, p);
            for (int i = 0; i < V; i++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(got[(f * V + i) * 3 + c]).as("frame %d vertex %d axis %d", f, i, c)
                            .isCloseTo(want[i][c], within(1e-7));
                }
            }
        }
    }

    @Test
    void aRootRotationRotatesEveryVertexRigidlyAboutTheRoot() {
        HeadModel m = TinyModels.random(4, V, J, S, E, true);
        HeadTensors t = HeadTensors.of(m, ScalarType.Double);
        double[] pose = new double[J * 3];
        double[] axisAngle = {0.3, -0.7, 0.4};
        System.arraycopy(axisAngle, 0, pose, 0, 3);
        Lbs.Posed rest = pose(t, new double[S], new double[E], new double[J * 3], 1);
        Lbs.Posed rotated = pose(t, new double[S], new double[E], pose, 1);
        double[] v0 = Tensors.toDoubles(rest.vertices());
        double[] v1 = Tensors.toDoubles(rotated.vertices());
        double[] root = java.util.Arrays.copyOf(Tensors.toDoubles(rest.joints()), 3);
        double[][] r = NaiveLbs.rodrigues(axisAngle);
        for (int i = 0; i < V; i++) {
            double[] rel = {v0[i * 3] - root[0], v0[i * 3 + 1] - root[1], v0[i * 3 + 2] - root[2]};
            double[] want = NaiveLbs.add(NaiveLbs.apply(r, rel), root);
            for (int c = 0; c < 3; c++) {
                assertThat(v1[i * 3 + c]).isCloseTo(want[c], within(1e-7)); // Rodrigues adds 1e-8 to the axis
            }
        }
    }

    @Test
    void rodriguesMatchesClosedForms() {
        double th = 0.9;
        double[] got = Tensors.toDoubles(Rodrigues.toMatrix(Tensors.doubles(new double[] {0, 0, th, Math.PI / 2, 0, 0, 0, 0, 0}, 3, 3)));
        double[] aboutZ = {Math.cos(th), -Math.sin(th), 0, Math.sin(th), Math.cos(th), 0, 0, 0, 1};
        double[] aboutX90 = {1, 0, 0, 0, 0, -1, 0, 1, 0};
        double[] identity = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        for (int i = 0; i < 9; i++) {
            assertThat(got[i]).isCloseTo(aboutZ[i], within(1e-7));
            assertThat(got[9 + i]).isCloseTo(aboutX90[i], within(1e-7));
            assertThat(got[18 + i]).isCloseTo(identity[i], within(1e-7));
        }
        // A general rotation against the independent closed form, and orthonormal.
        double[] r = {0.4, -1.1, 2.0};
        double[] m = Tensors.toDoubles(Rodrigues.toMatrix(Tensors.doubles(r, 1, 3)));
        double[][] want = NaiveLbs.rodrigues(r);
        for (int i = 0; i < 9; i++) {
            assertThat(m[i]).isCloseTo(want[i / 3][i % 3], within(1e-7));
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesInFloat64() {
        HeadModel m = TinyModels.random(5, V, J, S, E, true);
        HeadTensors t = HeadTensors.of(m, ScalarType.Double);
        Random r = new Random(6);
        double[] betas = randn(r, S, 1), expr = randn(r, E, 1), pose = randn(r, J * 3, 0.4);
        double[] probe = randn(r, V * 3, 1);
        Tensor probeT = Tensors.doubles(probe, 1, V, 3);

        Tensor b = Tensors.doubles(betas, 1, S).set_requires_grad(true);
        Tensor e = Tensors.doubles(expr, 1, E).set_requires_grad(true);
        Tensor p = Tensors.doubles(pose, 1, J, 3).set_requires_grad(true);
        Lbs.forward(t, b, e, p, null).vertices().mul(probeT).sum().backward();
        double[][] analytic = {Tensors.toDoubles(b.grad()), Tensors.toDoubles(e.grad()), Tensors.toDoubles(p.grad())};
        double[][] params = {betas, expr, pose};

        double h = 1e-6;
        for (int which = 0; which < 3; which++) {
            for (int i = 0; i < params[which].length; i++) {
                double keep = params[which][i];
                params[which][i] = keep + h;
                double up = objective(t, params, probeT);
                params[which][i] = keep - h;
                double down = objective(t, params, probeT);
                params[which][i] = keep;
                double numeric = (up - down) / (2 * h);
                assertThat(analytic[which][i]).as("param block %d index %d", which, i)
                        .isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
            }
        }
    }

    private static double objective(HeadTensors t, double[][] params, Tensor probe) {
        return pose(t, params[0], params[1], params[2], 1).vertices().mul(probe).sum().item_double();
    }
}
