package dev.expportrait.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.ParameterAdam;
import dev.expportrait.tensor.Parameters;
import dev.expportrait.tensor.Tensors;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class DitTest {
    private static final Dit.Sizes SIZES = new Dit.Sizes(4, 8, 8, 24, 2, 2);

    private static Tensor random(Random r, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Tensors.floats(v, shape);
    }

    @Test
    void shapesThroughTheEncodersAndTheDenoiser_andTheUntrainedDenoiserPredictsZero() {
        Random r = new Random(1);
        Parameters p = new Parameters(1);
        Dit dit = new Dit(p, SIZES);
        ControlEncoders pose = ControlEncoders.pose(p, 8, 8);
        ControlEncoders ref = ControlEncoders.reference(p, 8, 8);
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor poseFeatures = pose.apply(random(r, 2, 3, 9, 16, 16));
            Tensor refFeatures = ref.apply(random(r, 2, 3, 1, 16, 16));
            assertThat(Tensors.shape(poseFeatures)).containsExactly(2, 8, 3, 4, 4);
            assertThat(Tensors.shape(refFeatures)).containsExactly(2, 8, 1, 4, 4);
            Tensor eps = dit.predict(random(r, 2, 4, 3, 4, 4), new int[] {10, 900}, poseFeatures, refFeatures);
            assertThat(Tensors.shape(eps)).containsExactly(2, 4, 3, 4, 4);
            // adaLN-Zero and a zero final layer: the untrained network predicts exactly zero, with or without the reference.
            for (float v : Tensors.toFloats(eps)) assertThat(v).isZero();
            assertThat(Tensors.shape(dit.predict(random(r, 2, 4, 3, 4, 4), new int[] {1, 2}, poseFeatures, null))).containsExactly(2, 4, 3, 4, 4);
        }
    }

    @Test
    void attentionIsSoftmaxOfScaledScoresTimesValues_onBothPaths_withTheSameGradients() throws Exception {
        Random r = new Random(9);
        int b = 2, h = 3, n = 7, d = 12;
        Tensor q = random(r, b, h, n, d), k = random(r, b, h, n, d), v = random(r, b, h, n, d), weights = random(r, b, h, n, d);
        float[] qs = Tensors.toFloats(q), ks = Tensors.toFloats(k), vs = Tensors.toFloats(v);
        // Brute force: per batch element, head and query, the softmax over keys of q.k / sqrt(d), then the weighted values.
        float[] expected = new float[b * h * n * d];
        for (int m = 0; m < b * h; m++) {
            for (int i = 0; i < n; i++) {
                double[] e = new double[n];
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < n; j++) {
                    for (int c = 0; c < d; c++) e[j] += qs[(m * n + i) * d + c] * ks[(m * n + j) * d + c] / Math.sqrt(d);
                    max = Math.max(max, e[j]);
                }
                for (int j = 0; j < n; j++) sum += e[j] = Math.exp(e[j] - max);
                for (int c = 0; c < d; c++) {
                    double o = 0;
                    for (int j = 0; j < n; j++) o += e[j] / sum * vs[(m * n + j) * d + c];
                    expected[(m * n + i) * d + c] = (float) o;
                }
            }
        }
        // The written-out path (this thread's libtorch has 2 threads in the tests) and the fused one (a thread set to 1).
        java.util.function.Supplier<float[][]> run = () -> {
            Tensor ql = q.detach().clone().requires_grad_(true), kl = k.detach().clone().requires_grad_(true), vl = v.detach().clone().requires_grad_(true);
            Tensor out = Dit.scaledDotProductAttention(ql, kl, vl);
            out.mul(weights).sum().backward();
            return new float[][] {Tensors.toFloats(out), Tensors.toFloats(ql.grad()), Tensors.toFloats(kl.grad()), Tensors.toFloats(vl.grad())};
        };
        assertThat(org.bytedeco.pytorch.global.torch.get_num_threads()).isGreaterThan(1);
        float[][] written = run.get();
        java.util.concurrent.ExecutorService single = java.util.concurrent.Executors.newSingleThreadExecutor();
        float[][] fused;
        try {
            fused = single.submit(() -> {
                org.bytedeco.pytorch.global.torch.set_num_threads(1);
                if (org.bytedeco.pytorch.global.torch.get_num_threads() != 1) throw new IllegalStateException("not single-threaded");
                return run.get();
            }).get();
        } finally {
            single.shutdown();
            org.bytedeco.pytorch.global.torch.set_num_threads(org.bytedeco.pytorch.global.torch.get_num_threads()); // the default for new threads
        }
        for (int i = 0; i < expected.length; i++) {
            assertThat(written[0][i]).isCloseTo(expected[i], within(1e-5f));
            assertThat(fused[0][i]).isCloseTo(expected[i], within(1e-5f));
        }
        for (int g = 1; g < 4; g++) {
            for (int i = 0; i < expected.length; i++) assertThat(fused[g][i]).as("gradient %d[%d]", g, i).isCloseTo(written[g][i], within(1e-5f));
        }
    }

    @Test
    void adaLnModulationIsLayerNormScaledAndShiftedPerBatchElement() {
        Random r = new Random(4);
        int b = 2, n = 5, d = 6;
        Tensor x = random(r, b, n, d), shift = random(r, b, 1, d), scale = random(r, b, 1, d);
        float[] got = Tensors.toFloats(Dit.modulate(x, shift, scale)), xs = Tensors.toFloats(x), sh = Tensors.toFloats(shift), sc = Tensors.toFloats(scale);
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < n; t++) {
                double mean = 0, var = 0;
                for (int k = 0; k < d; k++) mean += xs[(i * n + t) * d + k] / (double) d;
                for (int k = 0; k < d; k++) var += Math.pow(xs[(i * n + t) * d + k] - mean, 2) / d;
                for (int k = 0; k < d; k++) {
                    double ln = (xs[(i * n + t) * d + k] - mean) / Math.sqrt(var + 1e-6);
                    assertThat((double) got[(i * n + t) * d + k]).isCloseTo(ln * (1 + sc[i * d + k]) + sh[i * d + k], within(1e-5));
                }
            }
        }
    }

    @Test
    void eachBlockStartsAsTheIdentity() {
        Random r = new Random(2);
        Dit.Block block = new Dit.Block(new Parameters(3), "b", 12, 2);
        Tensor x = random(r, 1, 8, 12), c = random(r, 1, 12); // 4 latent tokens and 4 reference tokens
        try (NoGradGuard g = new NoGradGuard()) {
            assertThat(Tensors.toFloats(block.apply(x, c, new Rope3d(Dit.positions(1, 1, 4), 6)))).containsExactly(Tensors.toFloats(x));
        }
    }

    @Test
    void rotaryEmbeddingRotatesEachPairByItsAxisAngle() {
        Random r = new Random(6);
        int heads = 2, n = 3, hd = 12, part = hd / 3;
        float[] pos = {0, 0, 0, 2, -1, 3, -1, 5, 1}; // (t, y, x) of 3 tokens
        Tensor x = random(r, 1, heads, n, hd).permute(0, 2, 1, 3).contiguous().permute(0, 2, 1, 3); // strided, as q and k are
        float[] got = Tensors.toFloats(new Rope3d(pos, hd).apply(x)), xs = Tensors.toFloats(x.contiguous());
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hd / 2; j++) {
                    int axis = j / (part / 2), k = j % (part / 2);
                    double angle = pos[i * 3 + axis] * Math.pow(10_000, -2.0 * k / part);
                    int at = (h * n + i) * hd + 2 * j;
                    double x0 = xs[at], x1 = xs[at + 1];
                    assertThat((double) got[at]).isCloseTo(x0 * Math.cos(angle) - x1 * Math.sin(angle), within(1e-5));
                    assertThat((double) got[at + 1]).isCloseTo(x0 * Math.sin(angle) + x1 * Math.cos(angle), within(1e-5));
                }
            }
        }
    }

    @Test
    void rotaryScoresDependOnRelativePositionsOnlyAndKeepNorms() {
        Random r = new Random(4);
        Tensor q = random(r, 1, 1, 1, 12), k = random(r, 1, 1, 1, 12);
        double[][] pairs = {{0, 0, 0, 1, 2, 3}, {5, 4, 1, 6, 6, 4}, {-1, 0, 0, 0, 2, 3}};
        double first = Double.NaN;
        for (double[] pp : pairs) {
            Tensor rq = new Rope3d(new float[] {(float) pp[0], (float) pp[1], (float) pp[2]}, 12).apply(q);
            Tensor rk = new Rope3d(new float[] {(float) pp[3], (float) pp[4], (float) pp[5]}, 12).apply(k);
            double dot = rq.mul(rk).sum().item_double();
            if (Double.isNaN(first)) first = dot;
            // Each pair differs by (1, 2, 3): the same score.
            assertThat(dot).isCloseTo(first, within(1e-4));
            assertThat(rq.square().sum().item_double()).isCloseTo(q.square().sum().item_double(), within(1e-4));
        }
        Tensor far = new Rope3d(new float[] {0, 0, 7}, 12).apply(k);
        assertThat(new Rope3d(new float[] {0, 0, 0}, 12).apply(q).mul(far).sum().item_double()).isNotCloseTo(first, within(1e-3));
    }

    @Test
    void aFewStepsOfTheNoisePredictionLossOnATinyBatchLowerIt() {
        Random r = new Random(5);
        Parameters p = new Parameters(6);
        Dit dit = new Dit(p, new Dit.Sizes(4, 8, 8, 24, 1, 2));
        ControlEncoders pose = ControlEncoders.pose(p, 8, 8);
        ControlEncoders ref = ControlEncoders.reference(p, 8, 8);
        NoiseSchedule schedule = NoiseSchedule.ddpm();
        Tensor clean = random(r, 2, 4, 2, 4, 4), control = random(r, 2, 3, 5, 16, 16), image = random(r, 2, 3, 1, 16, 16);
        Tensor[] noise = {random(r, 2, 4, 2, 4, 4), random(r, 2, 4, 2, 4, 4)};
        int[][] ts = {{100, 700}, {400, 950}};
        ParameterAdam adam = new ParameterAdam(p.all());
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++) {
            try (PointerScope scope = new PointerScope()) {
                int k = step % 2;
                Tensor noisy = schedule.addNoise(clean, noise[k], ts[k]);
                Tensor predicted = dit.predict(noisy, ts[k], pose.apply(control), ref.apply(image));
                Tensor loss = predicted.sub(noise[k]).square().mean(); // Eq. 10
                loss.backward();
                if (step < 2) first += loss.item_double() / 2;
                if (step >= 58) last += loss.item_double() / 2;
                adam.step(3e-3, 1.0);
            }
        }
        assertThat(first).isCloseTo(1.0, within(0.3)); // predicting zero noise: E[eps^2] = 1
        assertThat(last).isLessThan(0.5 * first);
    }

    @Test
    void thePoseEncoderIsCausalInTime() {
        Random r = new Random(7);
        ControlEncoders pose = ControlEncoders.pose(new Parameters(8), 8, 4);
        Tensor control = random(r, 1, 3, 9, 8, 8);
        try (NoGradGuard g = new NoGradGuard()) {
            float[] before = Tensors.toFloats(pose.apply(control));
            Tensor changed = control.clone();
            changed.narrow(2, 5, 4).add_(Tensors.scalar(1));
            float[] after = Tensors.toFloats(pose.apply(changed));
            int per = before.length / 3 / 4; // [1, 4, 3, 2, 2]
            for (int c = 0; c < 4; c++) {
                for (int j = 0; j < 2; j++) { // latent frames 0 and 1 see frames 0 .. 4
                    for (int i = 0; i < per; i++) assertThat(after[(c * 3 + j) * per + i]).isEqualTo(before[(c * 3 + j) * per + i]);
                }
            }
        }
    }

    @Test
    void aDroppedReferenceIsTheNullReferenceInBothPaths_andTheChannelWiseReferenceActsAtItsOwnPlace() {
        Random r = new Random(10);
        Parameters p = new Parameters(11);
        Dit dit = new Dit(p, new Dit.Sizes(4, 0, 8, 24, 1, 2));
        try (NoGradGuard g = new NoGradGuard()) {
            for (Tensor t : p.all().values()) t.copy_(random(r, Tensors.shape(t)).mul(Tensors.scalar(0.3))); // no zero-initialised shortcuts
            Tensor noisy = random(r, 2, 4, 2, 4, 4), reference = random(r, 2, 8, 1, 4, 4);
            int[] ts = {30, 600};
            float[] mixed = Tensors.toFloats(dit.predict(noisy, ts, null, reference, new boolean[] {true, false}));
            float[] none = Tensors.toFloats(dit.predict(noisy, ts, null, null));
            float[] kept = Tensors.toFloats(dit.predict(noisy, ts, null, reference));
            int half = mixed.length / 2;
            for (int i = 0; i < half; i++) assertThat(mixed[i]).isCloseTo(none[i], within(1e-5f)); // element 0 dropped
            for (int i = half; i < mixed.length; i++) assertThat(mixed[i]).isCloseTo(kept[i], within(1e-5f)); // element 1 kept
            assertThat(kept).isNotEqualTo(none);

            // Only the channel-wise path (sequence path off: zero attention output projections) and one block
            // without attention mixing: a change of the reference at one place changes the output there only.
            Parameters q = new Parameters(12);
            Dit local = new Dit(q, new Dit.Sizes(4, 0, 8, 24, 1, 2));
            for (var e : q.all().entrySet()) {
                Tensor v = random(r, Tensors.shape(e.getValue())).mul(Tensors.scalar(e.getKey().contains("attention.proj") ? 0 : 0.3));
                e.getValue().copy_(v);
            }
            float[] before = Tensors.toFloats(local.predict(noisy, ts, null, reference));
            Tensor changed = reference.clone();
            changed.narrow(3, 0, 2).narrow(4, 0, 2).add_(Tensors.scalar(1)); // the top-left 2 x 2 latent cells: token (0, 0)
            float[] after = Tensors.toFloats(local.predict(noisy, ts, null, changed));
            for (int b = 0; b < 2; b++) for (int c = 0; c < 4; c++) for (int t = 0; t < 2; t++) for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) {
                int i = (((b * 4 + c) * 2 + t) * 4 + y) * 4 + x;
                if (y < 2 && x < 2) assertThat(after[i]).as("in the changed patch, frame %d", t).isNotCloseTo(before[i], within(1e-6f));
                else assertThat(after[i]).isCloseTo(before[i], within(1e-6f));
            }
        }
    }
}
