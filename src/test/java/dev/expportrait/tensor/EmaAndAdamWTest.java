package dev.expportrait.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class EmaAndAdamWTest {
    @Test
    void theEmaFollowsItsWarmUpDecayExactly() {
        Parameters p = new Parameters(1);
        Tensor w = p.constant("w", 0f, 2);
        Ema ema = new Ema(p.all(), 0.9);
        double expected = 0;
        for (int n = 0; n < 30; n++) {
            try (NoGradGuard g = new NoGradGuard()) {
                w.fill_(Tensors.scalar(n + 1)); // the weight after step n
            }
            ema.update();
            double d = Math.min(0.9, (1.0 + n) / (10.0 + n));
            expected = d * expected + (1 - d) * (n + 1);
            assertThat(Tensors.toFloats(ema.shadow().get("w"))[1]).isCloseTo((float) expected, within(1e-4f));
        }
        assertThat(ema.updates()).isEqualTo(30);
    }

    @Test
    void adamWShrinksTheDecayedWeightsByRateTimesDecay_andLeavesTheOthers() {
        Parameters p = new Parameters(2);
        Tensor w = p.constant("layer.weight", 2f, 2, 2), b = p.constant("layer.bias", 2f, 2);
        ParameterAdam adam = new ParameterAdam(p.all());
        w.sum().add(b.sum()).mul(Tensors.scalar(0)).backward(); // zero gradients: Adam's own step is 0
        adam.step(0.1, 1.0, 0.5, name -> name.endsWith(".weight"));
        assertThat(Tensors.toFloats(w)).containsOnly(2f * (1 - 0.1f * 0.5f));
        assertThat(Tensors.toFloats(b)).containsOnly(2f);
        // A unit gradient at step 2: decay first, then Adam's bias-corrected m / sqrt(v), evaluated by hand.
        w.sum().backward();
        adam.step(0.1, 100.0, 0.5, name -> name.endsWith(".weight"));
        double m = 0.1 * 1, v = 0.001 * 1;
        double mh = m / (1 - 0.9 * 0.9), vh = v / (1 - 0.999 * 0.999);
        double expected = 2 * 0.95 * 0.95 - 0.1 * mh / (Math.sqrt(vh) + 1e-8);
        assertThat(Tensors.toFloats(w)[0]).isCloseTo((float) expected, within(1e-5f));
        assertThat(Tensors.toFloats(b)).containsOnly(2f);
    }

    @Test
    void clippedAdamMatchesAScalarReferenceOverSeveralSteps() {
        Parameters p = new Parameters(3);
        Tensor w = p.constant("w", 0.5f, 3), u = p.constant("u", -1f, 2);
        ParameterAdam adam = new ParameterAdam(p.all());
        double[] ref = {0.5, 0.5, 0.5, -1, -1}, m = new double[5], v = new double[5];
        double[][] grads = {{3, -4, 0, 12, 0}, {0.1, 0.2, -0.3, 0.05, 0}, {-2, 1, 1, 0, 2}};
        double clip = 1.0, rate = 0.01;
        for (int step = 1; step <= grads.length; step++) {
            double[] gr = grads[step - 1];
            Tensor target = Tensors.floats(new float[] {(float) gr[0], (float) gr[1], (float) gr[2]}, 3);
            Tensor targetU = Tensors.floats(new float[] {(float) gr[3], (float) gr[4]}, 2);
            w.mul(target).sum().add(u.mul(targetU).sum()).backward(); // d/dw = the gradients above
            double norm = adam.step(rate, clip);
            double sq = 0;
            for (double x : gr) sq += x * x;
            assertThat(norm).isCloseTo(Math.sqrt(sq), within(1e-5));
            double scale = Math.min(1, clip / Math.sqrt(sq));
            for (int i = 0; i < 5; i++) {
                double g = gr[i] * scale;
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                ref[i] -= rate * (m[i] / (1 - Math.pow(0.9, step))) / (Math.sqrt(v[i] / (1 - Math.pow(0.999, step))) + 1e-8);
            }
            float[] got = Tensors.toFloats(w), gotU = Tensors.toFloats(u);
            for (int i = 0; i < 3; i++) assertThat(got[i]).as("w[%d] at step %d", i, step).isCloseTo((float) ref[i], within(1e-6f));
            for (int i = 0; i < 2; i++) assertThat(gotU[i]).as("u[%d] at step %d", i, step).isCloseTo((float) ref[3 + i], within(1e-6f));
        }
    }

    @Test
    void warmUpThenCosineToFivePercent() {
        assertThat(LearningRate.warmupCosine(1.0, 9, 100, 0)).isCloseTo(0.1, within(1e-12));
        assertThat(LearningRate.warmupCosine(1.0, 9, 100, 9)).isCloseTo(1.0, within(1e-12));
        assertThat(LearningRate.warmupCosine(1.0, 0, 100, 50)).isCloseTo(0.05 + 0.95 * 0.5, within(1e-12));
        assertThat(LearningRate.warmupCosine(1.0, 0, 100, 100)).isCloseTo(0.05, within(1e-12));
    }
}
