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
    void warmUpThenCosineToFivePercent() {
        assertThat(LearningRate.warmupCosine(1.0, 9, 100, 0)).isCloseTo(0.1, within(1e-12));
        assertThat(LearningRate.warmupCosine(1.0, 9, 100, 9)).isCloseTo(1.0, within(1e-12));
        assertThat(LearningRate.warmupCosine(1.0, 0, 100, 50)).isCloseTo(0.05 + 0.95 * 0.5, within(1e-12));
        assertThat(LearningRate.warmupCosine(1.0, 0, 100, 100)).isCloseTo(0.05, within(1e-12));
    }
}
