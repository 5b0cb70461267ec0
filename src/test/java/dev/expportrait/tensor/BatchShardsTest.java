package dev.expportrait.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.bytedeco.openblas.presets.openblas_nolapack;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class BatchShardsTest {
    /** A two-layer network's weights (seeded) and a batch of inputs and targets. */
    private static final class Net {
        final Parameters p = new Parameters(4);
        final Tensor w1 = p.weight("w1", 6, 16, 1), b1 = p.zeros("b1", 16), w2 = p.weight("w2", 16, 3, 1);
        final Tensor x, y;

        Net(int batch) {
            float[] xs = new float[batch * 6], ys = new float[batch * 3];
            java.util.SplittableRandom r = new java.util.SplittableRandom(5);
            for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
            for (int i = 0; i < ys.length; i++) ys[i] = (float) r.nextGaussian();
            x = Tensors.floats(xs, batch, 6);
            y = Tensors.floats(ys, batch, 3);
        }

        /** Rows from .. from + count - 1's share of the batch's mean squared error. */
        Tensor loss(int from, int count) {
            Tensor h = torch.tanh(torch.addmm(b1, x.narrow(0, from, count), w1));
            return h.matmul(w2).sub(y.narrow(0, from, count)).square().sum().div(Tensors.scalar(x.size(0) * 3));
        }

        float[] gradients() {
            float[] out = new float[(int) (w1.numel() + b1.numel() + w2.numel())];
            int at = 0;
            for (Tensor t : p.all().values()) {
                float[] g = Tensors.toFloats(t.grad());
                System.arraycopy(g, 0, out, at, g.length);
                at += g.length;
                try (NoGradGuard ng = new NoGradGuard()) {
                    t.grad().zero_();
                }
            }
            return out;
        }
    }

    @Test
    void shardedGradientsAndLossAreTheWholeBatchs_forEvenAndUnevenSplits() {
        for (int[] c : new int[][] {{4, 2}, {5, 3}, {3, 8}}) {
            int batch = c[0], threads = c[1];
            Net net = new Net(batch);
            Tensor whole = net.loss(0, batch);
            whole.backward();
            double wholeLoss = whole.item_double();
            float[] expected = net.gradients();
            BatchShards shards = new BatchShards(batch, threads);
            assertThat(shards.shards()).isEqualTo(Math.min(batch, threads));
            double loss = shards.backward(batch, net::loss);
            assertThat(loss).as("batch %d on %d threads", batch, threads).isCloseTo(wholeLoss, within(1e-6));
            float[] got = net.gradients();
            for (int i = 0; i < got.length; i++) assertThat(got[i]).as("gradient %d, batch %d", i, batch).isCloseTo(expected[i], within(1e-6f));
        }
    }

    @Test
    void aBatchSmallerThanTheSplitRunsAsFewerShards() {
        Net net = new Net(1);
        Tensor whole = net.loss(0, 1);
        whole.backward();
        float[] expected = net.gradients();
        assertThat(new BatchShards(4, 2).backward(1, net::loss)).isCloseTo(whole.item_double(), within(1e-7));
        assertThat(net.gradients()).containsExactly(expected);
    }

    @Test
    void twoShardsGiveTheSameBitsEveryRun_andTheThreadSettingsComeBack() {
        Net net = new Net(4);
        int torchThreads = torch.get_num_threads(), blas = BatchShards.blasThreads();
        float[] first = null;
        BatchShards shards = new BatchShards(4, 2);
        for (int run = 0; run < 5; run++) {
            shards.backward(4, net::loss);
            float[] g = net.gradients();
            if (first == null) first = g;
            else assertThat(g).containsExactly(first);
        }
        assertThat(torch.get_num_threads()).isEqualTo(torchThreads);
        assertThat(openblas_nolapack.blas_get_num_threads()).isEqualTo(blas);
    }

    @Test
    void eachShardRunsLibtorchOnItsShareOfTheThreads() {
        java.util.Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Net net = new Net(4);
        new BatchShards(4, 2).backward(4, (from, count) -> {
            seen.add(torch.get_num_threads());
            threads.add(Thread.currentThread().getName());
            return net.loss(from, count);
        });
        assertThat(seen).containsExactly(1);
        assertThat(threads).allMatch(name -> name.startsWith("expportrait-shard-"));
        assertThat(torch.get_num_threads()).isGreaterThan(1); // the caller's own count is untouched
    }

    @Test
    void mappedShardsGiveTheWholeBatchsOutputWithoutGradients() {
        Net net = new Net(5);
        float[] whole = Tensors.toFloats(torch.tanh(torch.addmm(net.b1, net.x, net.w1)));
        java.util.Set<Boolean> gradMode = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Tensor mapped = new BatchShards(5, 2).map(5, (from, count) -> {
            gradMode.add(org.bytedeco.pytorch.GradMode.is_enabled());
            return torch.tanh(torch.addmm(net.b1, net.x.narrow(0, from, count), net.w1));
        });
        assertThat(Tensors.shape(mapped)).containsExactly(5, 16);
        assertThat(mapped.requires_grad()).isFalse();
        assertThat(gradMode).containsExactly(false);
        float[] got = Tensors.toFloats(mapped);
        for (int i = 0; i < whole.length; i++) assertThat(got[i]).isCloseTo(whole[i], within(1e-6f));
        // One shard: on the caller's thread, the same values.
        float[] one = Tensors.toFloats(new BatchShards(5, 1).map(5, (from, count) -> torch.tanh(torch.addmm(net.b1, net.x.narrow(0, from, count), net.w1))));
        for (int i = 0; i < whole.length; i++) assertThat(one[i]).isCloseTo(whole[i], within(1e-6f));
    }

    @Test
    void aFailingShardFailsTheStepWithItsOwnMessage() {
        BatchShards shards = new BatchShards(2, 2);
        assertThatThrownBy(() -> shards.backward(2, (from, count) -> {
            if (from == 1) throw new IllegalArgumentException("shard at " + from + " has no data");
            return Tensors.floats(new float[] {1}, 1).requires_grad_(true).sum();
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("shard at 1 has no data");
    }

    @Test
    void aBatchTooSmallForThreadsOrBadSizesAreRefused() {
        assertThatThrownBy(() -> new BatchShards(0, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch 0");
        assertThatThrownBy(() -> new BatchShards(2, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads 0");
        assertThat(new BatchShards(1, 4).shards()).isEqualTo(1);
    }
}
