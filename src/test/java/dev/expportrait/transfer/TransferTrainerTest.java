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
    void aStepsTargetsAreTheDrawnVerticesOfItsFrameInMillimetresBitForBitAsLibtorchGathersThem() {
        int frames = 3, nf = 50;
        float[] metres = new float[frames * nf * 3];
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < metres.length; i++) metres[i] = (float) (r.nextGaussian() * 1e-3);
        int[] ids = {49, 0, 7, 7, 23};
        Tensor idx = Tensors.longs(ids, ids.length);
        // The independent path: the whole clip as a tensor scaled by libtorch, then index_select of frame t's rows.
        Tensor all = Tensors.floats(metres, frames, nf, 3).mul(Tensors.scalar(1e3));
        for (int t = 0; t < frames; t++) {
            float[] expected = Tensors.toFloats(org.bytedeco.pytorch.global.torch.index_select(all.select(0, t), 0, idx));
            assertThat(TransferTrainer.targetsAt(metres, nf, t, ids)).containsExactly(expected);
        }
        assertThat(TransferTrainer.targetsAt(metres, nf, 2, new int[] {1})[0]).isEqualTo(metres[(2 * nf + 1) * 3] * 1000f).isNotZero();
    }

    @Test
    void theShardsLossesAddUpToTheBatchs_withFocusedDrawsBalanceAndL1() {
        TransferConfig cfg = TransferFixture.quick(1).withBatch(5, 64).withFocus(0.05).withL1Weight(0.02);
        TransferTrainer trainer = new TransferTrainer(FEATURES, cfg);
        List<TransferTrainer.Prepared> train = trainer.prepare(SAMPLES);
        TransferModel model = new TransferModel(FEATURES.head().model().name(), FEATURES.head().upsampler().levels(), cfg.sizes(), 3);
        List<TransferTrainer.Draw> draws = trainer.draws(train, 4);
        Tensor[] whole = trainer.shardLoss(model, train, draws, 0, 5);
        double loss = 0, mse = 0;
        for (int[] shard : new int[][] {{0, 2}, {2, 3}}) {
            Tensor[] part = trainer.shardLoss(model, train, draws, shard[0], shard[1]);
            loss += part[0].item_double();
            mse += part[1].item_double();
        }
        assertThat(loss).isCloseTo(whole[0].item_double(), within(1e-6 * whole[0].item_double()));
        assertThat(mse).isCloseTo(whole[1].item_double(), within(1e-6 * whole[1].item_double()));
        assertThat(draws).extracting(TransferTrainer.Draw::weights).doesNotContainNull(); // the focused draws' weights are in play
    }

    @Test
    void validationScoresEvenlySpacedFramesWithinAFixedBudgetOfFrames() {
        assertThat(TransferTrainer.validationFrames(48, 2)).containsExactly(2, 6, 10, 14, 18, 22, 26, 30, 34, 38, 42, 46);
        assertThat(TransferTrainer.validationFrames(48, 116)).containsExactly(12, 36); // 256 / 116 = 2 frames a head
        assertThat(TransferTrainer.validationFrames(48, 1000)).containsExactly(24); // at least one
        assertThat(TransferTrainer.validationFrames(5, 1)).containsExactly(0, 1, 2, 3, 4); // never more than the clip has
        for (int heads : new int[] {1, 7, 21, 56, 116, 300}) {
            int[] f = TransferTrainer.validationFrames(48, heads);
            assertThat((long) f.length * heads).isLessThanOrEqualTo(Math.max(256, heads));
            assertThat(f).isSorted().doesNotHaveDuplicates();
            assertThat(Arrays.stream(f).min().getAsInt()).isGreaterThanOrEqualTo(0);
            assertThat(Arrays.stream(f).max().getAsInt()).isLessThanOrEqualTo(47);
        }
    }

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
    void withAMovingAverageTheResultIsTheAverageOfTheWeightsAfterEachStep(@TempDir Path dir) {
        int steps = 6;
        double decay = 0.8;
        TransferConfig plain = TransferFixture.quick(steps);
        // The plain run's weights after each step: runs stopped after 0..steps steps (deterministic).
        List<Map<String, float[]>> after = new java.util.ArrayList<>();
        for (int k = 0; k <= steps; k++) {
            Map<String, float[]> w = new java.util.TreeMap<>();
            new TransferTrainer(FEATURES, plain).train(SAMPLES, null, Map.of(), QUIET, k).model().parameters()
                    .forEach((name, t) -> w.put(name, Tensors.toFloats(t)));
            after.add(w);
        }
        Path ckpt = dir.resolve("e.ckpt");
        TransferModel averaged = new TransferTrainer(FEATURES, plain.withEmaDecay(decay)).train(SAMPLES, ckpt, Map.of(), QUIET).model();
        TransferModel last = TransferCheckpoint.read(ckpt).model(); // the checkpoint keeps the trained weights for resuming
        after.get(0).forEach((name, w0) -> {
            double[] shadow = new double[w0.length];
            for (int i = 0; i < w0.length; i++) shadow[i] = w0[i];
            for (int n = 0; n < steps; n++) {
                double d = Math.min(decay, (1.0 + n) / (10.0 + n));
                float[] w = after.get(n + 1).get(name);
                for (int i = 0; i < w.length; i++) shadow[i] = d * shadow[i] + (1 - d) * w[i];
            }
            float[] got = Tensors.toFloats(averaged.parameters().get(name));
            for (int i = 0; i < got.length; i++) assertThat((double) got[i]).as(name).isCloseTo(shadow[i], within(1e-5 + 1e-5 * Math.abs(shadow[i])));
            // The average leaves the optimisation itself alone.
            assertThat(Tensors.toFloats(last.parameters().get(name))).as(name).containsExactly(after.get(steps).get(name));
        });
        assertThat(Tensors.toFloats(averaged.parameters().values().iterator().next()))
                .isNotEqualTo(after.get(steps).get(averaged.parameters().keySet().iterator().next()));
    }

    @Test
    void anInterruptedRunWithAMovingAverageResumesToTheSameAverage(@TempDir Path dir) {
        TransferConfig cfg = TransferFixture.quick(12).withEmaDecay(0.9);
        TransferModel straight = new TransferTrainer(FEATURES, cfg).train(SAMPLES, dir.resolve("a.ckpt"), Map.of(), QUIET).model();
        Path ckpt = dir.resolve("b.ckpt");
        new TransferTrainer(FEATURES, cfg).train(SAMPLES, ckpt, Map.of(), QUIET, 7);
        TransferModel resumed = new TransferTrainer(FEATURES, cfg).train(SAMPLES, ckpt, Map.of(), QUIET).model();
        straight.parameters().forEach((name, t) ->
                assertThat(Tensors.toFloats(resumed.parameters().get(name))).as(name).containsExactly(Tensors.toFloats(t)));
        // A run without the average does not take the averaged run's checkpoint.
        assertThatThrownBy(() -> new TransferTrainer(FEATURES, TransferFixture.quick(12)).train(SAMPLES, ckpt, Map.of(), QUIET))
                .isInstanceOf(InputException.class).hasMessageContaining("another run");
    }

    @Test
    void focusedVertexDrawsFollowTheOffsetMagnitudeAndTheirWeightsKeepTheFaceMeanUnbiased() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        int n = 50;
        float[] target = new float[n * 3];
        for (int i = 0; i < target.length; i++) target[i] = i < 30 ? 0 : (float) (2 * r.nextDouble() - 1); // 10 vertices at rest
        double focus = 0.05;
        double[] cumulative = TransferTrainer.focusCumulative(target, focus);
        double[] expected = new double[n];
        double total = 0;
        for (int v = 0; v < n; v++) {
            expected[v] = Math.sqrt(target[v * 3] * target[v * 3] + target[v * 3 + 1] * target[v * 3 + 1] + target[v * 3 + 2] * target[v * 3 + 2]) + focus;
            total += expected[v];
        }
        int draws = 200_000;
        int[] count = new int[n];
        for (int k = 0; k < draws; k++) count[TransferTrainer.drawVertex(cumulative, r.nextDouble())]++;
        double[] residual = new double[n];
        double faceMean = 0, expectation = 0;
        for (int v = 0; v < n; v++) {
            double p = expected[v] / total;
            assertThat(count[v] / (double) draws).as("vertex %d", v).isCloseTo(p, within(5 * Math.sqrt(p / draws) + 1e-4));
            residual[v] = r.nextDouble();
            faceMean += residual[v] / n;
            expectation += p * TransferTrainer.importanceWeight(cumulative, v) * residual[v];
        }
        assertThat(expectation).isCloseTo(faceMean, within(1e-8)); // masses are differences of running sums
        // A weighed mean over vertices drawn by focus gives the loss of the whole face: the same values through loss().
        int nv = 4000;
        float[] pred = new float[nv * 3], tgt = new float[nv * 3], w = new float[nv];
        for (int k = 0; k < nv; k++) {
            int v = TransferTrainer.drawVertex(cumulative, r.nextDouble());
            w[k] = (float) TransferTrainer.importanceWeight(cumulative, v);
            for (int c = 0; c < 3; c++) tgt[k * 3 + c] = target[v * 3 + c];
        }
        double full = 0;
        for (float x : target) full += (double) x * x / target.length;
        double estimate = TransferTrainer.loss(Tensors.zeros(org.bytedeco.pytorch.global.torch.ScalarType.Float, 1, nv, 3),
                Tensors.floats(tgt, 1, nv, 3), Tensors.floats(w, 1, nv), 0, 0)[0].item_double();
        assertThat(estimate).isCloseTo(full, within(0.05 * full));
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
