package dev.expportrait.transfer;

import static dev.expportrait.transfer.TransferFixture.FEATURES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.io.InputException;
import dev.expportrait.tensor.Tensors;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferTrainerTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final List<TransferSample> SAMPLES = TransferFixture.samples(300, 8, 24);

    @Test
    void activityDrawsFramesInProportionToTheirEnergyPlusActivitySquared() {
        double[][] energies = {{0, 3}, {1}}; // weights with activity 1: 1, 4, 2 of 7
        assertThat(TransferTrainer.drawFrame(energies, 1, 0.1)).containsExactly(0, 0);
        assertThat(TransferTrainer.drawFrame(energies, 1, 1.01 / 7)).containsExactly(0, 1);
        assertThat(TransferTrainer.drawFrame(energies, 1, 4.99 / 7)).containsExactly(0, 1);
        assertThat(TransferTrainer.drawFrame(energies, 1, 5.01 / 7)).containsExactly(1, 0);
        assertThat(TransferTrainer.drawFrame(energies, 1, 0.999999)).containsExactly(1, 0);
        // A frame without energy is never drawn at activity 0.
        assertThat(TransferTrainer.drawFrame(energies, 0, 0.0)).containsExactly(0, 1);
    }

    /** d loss / d p for one offset value p predicted on three frames whose targets have amplitudes 2, 3 and 4 mm. */
    private static double balancedGradient(double p, double l1) {
        int n = 5;
        float[] target = new float[3 * n * 3];
        for (int t = 0; t < 3; t++) Arrays.fill(target, t * n * 3, (t + 1) * n * 3, 2f + t);
        Tensor value = Tensors.floats(new float[] {(float) p}, 1).set_requires_grad(true);
        Tensor prediction = value.reshape(1, 1, 1).expand(3, n, 3);
        TransferTrainer.loss(prediction, Tensors.floats(target, 3, n, 3), 0.1, l1)[0].backward();
        return Tensors.toFloats(value.grad())[0];
    }

    @Test
    void theBalancedLossIsStationaryAtTheMeanAmplitudeOfTargetsTheModuleCannotTellApart() {
        // Frames the module cannot tell apart (the same features and code, targets scaled by the unseen skin softness):
        // the right answer is their mean amplitude, 3 mm. Weighing each frame by its target's energy would put the optimum at
        // (1/2 + 1/3 + 1/4) / (1/4 + 1/9 + 1/16) = 2.56 mm; weighing by the prediction's, it stays at the mean:
        // d/dp of b^2 mean_t (p - a_t)^2 / (p^2 + b^2), the weight held, is b^2 (2/3) (3p - 9) / (p^2 + b^2).
        for (double p : new double[] {2.56, 3.0, 3.4}) {
            assertThat(balancedGradient(p, 0)).as("p = %s mm", p).isCloseTo(0.01 * 2 / 3 * (3 * p - 9) / (p * p + 0.01), within(1e-7));
        }
        assertThat(balancedGradient(3.0, 0)).isCloseTo(0, within(1e-8));
        // The L1 term is stationary at the median, here the same 3 mm.
        assertThat(balancedGradient(2.9, 0.02)).isLessThan(0);
        assertThat(balancedGradient(3.1, 0.02)).isGreaterThan(0);
    }

    @Test
    void trainingLowersTheValidationLossOnHeldOutIdentities() {
        TransferConfig cfg = TransferFixture.quick(200);
        TransferTrainer.Result r = new TransferTrainer(FEATURES, cfg).train(SAMPLES, null, Map.of(), QUIET);
        assertThat(r.validationHeads()).isEqualTo(2);
        assertThat(r.trainHeads()).isEqualTo(6);
        assertThat(r.validationLoss()).hasSize(2);
        // Validation at step 100 and 200 against the untrained module's error on the same held-out heads.
        TransferTrainer.Result untrained = new TransferTrainer(FEATURES, cfg.withSteps(1)).train(SAMPLES, null, Map.of(), QUIET);
        assertThat(r.finalValidation()).isLessThan(0.5 * untrained.finalValidation());
        double early = (r.trainLoss()[0] + r.trainLoss()[1] + r.trainLoss()[2]) / 3;
        double late = (r.trainLoss()[197] + r.trainLoss()[198] + r.trainLoss()[199]) / 3;
        assertThat(late).isLessThan(0.5 * early);
    }

    @Test
    void anInterruptedRunResumedFromItsCheckpointEndsWithTheSameWeights(@TempDir Path dir) {
        TransferConfig cfg = TransferFixture.quick(12);
        TransferModel straight = new TransferTrainer(FEATURES, cfg).train(SAMPLES, dir.resolve("a.ckpt"), Map.of(), QUIET).model();
        Path ckpt = dir.resolve("b.ckpt");
        new TransferTrainer(FEATURES, cfg).train(SAMPLES, ckpt, Map.of(), QUIET, 7); // killed after step 7
        TransferTrainer.Result resumed = new TransferTrainer(FEATURES, cfg).train(SAMPLES, ckpt, Map.of(), QUIET);
        assertThat(resumed.trainLoss()).hasSize(12);
        straight.parameters().forEach((name, t) ->
                assertThat(Tensors.toFloats(resumed.model().parameters().get(name))).as(name).containsExactly(Tensors.toFloats(t)));
    }

    @Test
    void aCheckpointOfAnotherConfigIsRefused(@TempDir Path dir) {
        Path ckpt = dir.resolve("c.ckpt");
        new TransferTrainer(FEATURES, TransferFixture.quick(2)).train(SAMPLES, ckpt, Map.of(), QUIET);
        assertThatThrownBy(() -> new TransferTrainer(FEATURES, TransferFixture.quick(2).withSeed(5)).train(SAMPLES, ckpt, Map.of(), QUIET))
                .isInstanceOf(InputException.class).hasMessageContaining("c.ckpt").hasMessageContaining("another run");
    }

    @Test
    void aCheckpointWithABrokenStepIsRefusedNamingIt(@TempDir Path dir) {
        Path ckpt = dir.resolve("d.ckpt");
        new TransferTrainer(FEATURES, TransferFixture.quick(2)).train(SAMPLES, ckpt, Map.of(), QUIET);
        Map<String, dev.expportrait.io.NdArray> arrays = new java.util.LinkedHashMap<>();
        Map<String, String> meta;
        try (var st = dev.expportrait.io.SafeTensors.read(ckpt)) {
            for (String k : st.keys()) arrays.put(k, st.get(k));
            meta = new java.util.LinkedHashMap<>(st.metadata());
        }
        meta.put("step", "5"); // two losses recorded
        dev.expportrait.io.SafeTensors.write(ckpt, arrays, meta);
        assertThatThrownBy(() -> new TransferTrainer(FEATURES, TransferFixture.quick(2)).train(SAMPLES, ckpt, Map.of(), QUIET))
                .isInstanceOf(InputException.class).hasMessageContaining("d.ckpt").hasMessageContaining("step 5");
    }

    @Test
    void theLearningRateWarmsUpThenDecaysToAFraction() {
        TransferConfig c = TransferFixture.quick(100);
        assertThat(c.rate(0)).isLessThan(c.rate(4));
        assertThat(c.rate(5)).isEqualTo(c.learningRate());
        assertThat(c.rate(99)).isBetween(0.05 * c.learningRate(), 0.06 * c.learningRate());
    }
}
