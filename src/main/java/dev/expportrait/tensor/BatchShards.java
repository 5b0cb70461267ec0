package dev.expportrait.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.openblas.presets.openblas_nolapack;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A batch's work split into shards run on parallel threads, one shard per core (threads / shards of libtorch's
 * intra-op and OpenBLAS threads each: one on this machine): a training step's forward and backward passes
 * ({@link #backward}, the shards' gradients adding up in the weights' shared gradients; libtorch locks each
 * weight's accumulation), or an inference ({@link #map}, the sampler's conditional and unconditional predictions).
 * Why: a small network's operations are too small to split well across cores inside each one (a fork and join per
 * operation; batched products of 256 x 48 matrices ran at single-core speed either way), and a single-threaded
 * shard can use libtorch's fused attention kernel; a DiT training step of 4 windows took 0.32 s with both cores in
 * every operation and 0.25 s with two windows per core (BENCHMARKS.md).
 *
 * <p>Each shard's loss is its share of the batch's (the caller scales it: a mean over the batch becomes the
 * shard's sum over the batch size), so the gradients are the batch's up to the order of the additions: with two
 * shards exactly the same from run to run, since two addends commute. One shard runs on the caller's thread. The
 * worker threads are shared by every instance of the same split and kept; one training or sampling at a time should
 * use them (OpenBLAS's thread count, which a call sets, is global).
 */
public final class BatchShards {
    /** A shard's loss: its share of the batch's loss, for batch elements {@code from} .. {@code from + count - 1}. */
    @FunctionalInterface
    public interface ShardLoss {
        Tensor loss(int from, int count);
    }

    /** A shard's output without gradients: a tensor whose first dimension holds batch elements {@code from} .. {@code from + count - 1}. */
    @FunctionalInterface
    public interface ShardOutput {
        Tensor apply(int from, int count);
    }

    private final int shards, threadsEach;
    private final ExecutorService pool;

    /**
     * @param batch the batch size (at most this many shards)
     * @param threads the cores to use (libtorch's intra-op thread count is the usual answer)
     */
    public BatchShards(int batch, int threads) {
        if (batch < 1 || threads < 1) throw new IllegalArgumentException("batch " + batch + " and threads " + threads + " must be positive");
        shards = Math.min(batch, threads);
        threadsEach = Math.max(1, threads / shards);
        pool = shards == 1 ? null : POOLS.computeIfAbsent(List.of(shards, threadsEach), key -> workers(shards, threadsEach));
    }

    /**
     * Worker threads kept for the life of the JVM, as libtorch keeps its own: a new thread's first step pays for
     * its allocator arena and oneDNN's compiled convolutions again (a 12-step run 0.28 s a step, 0.25 s once warm).
     */
    private static final Map<List<Integer>, ExecutorService> POOLS = new ConcurrentHashMap<>();

    private static ExecutorService workers(int shards, int threadsEach) {
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(shards, r -> {
            Thread t = new Thread(r, "expportrait-shard-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // Each worker sets its own OpenMP thread count (a per-thread setting); the latch makes every worker take
        // exactly one of these tasks. set_num_threads also sets the default that a thread's first operation adopts
        // (libtorch's lazy per-thread initialisation, which would undo ours): so one operation runs here first,
        // and the default is put back after.
        int before = torch.get_num_threads();
        CountDownLatch all = new CountDownLatch(shards);
        List<Future<?>> started = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            started.add(pool.submit(() -> {
                torch.set_num_threads(threadsEach);
                try (PointerScope scope = new PointerScope()) {
                    torch.ones(2).add_(Tensors.scalar(1)); // the thread's lazy initialisation, now, with threadsEach
                }
                if (torch.get_num_threads() != threadsEach) throw new IllegalStateException("a batch shard's thread kept " + torch.get_num_threads() + " threads");
                all.countDown();
                all.await();
                return null;
            }));
        }
        for (Future<?> f : started) join(f);
        torch.set_num_threads(before);
        return pool;
    }

    /** The number of shards a batch is split into. */
    public int shards() {
        return shards;
    }

    /**
     * Runs each shard's loss and its backward pass (on its own thread when there are several), accumulating the
     * gradients into the weights'.
     *
     * @return the sum of the shards' loss values (the batch's loss)
     */
    public double backward(int batch, ShardLoss loss) {
        double sum = 0;
        for (double part : run(batch, (from, count) -> {
            Tensor l = loss.loss(from, count);
            l.backward();
            return l.item_double();
        })) {
            sum += part;
        }
        return sum;
    }

    /**
     * Runs {@code f} on each shard without gradients (inference; on its own thread when there are several) and
     * concatenates the outputs along the first dimension: the batch's output.
     */
    public Tensor map(int batch, ShardOutput f) {
        List<Tensor> outputs = run(batch, (from, count) -> {
            try (NoGradGuard guard = new NoGradGuard()) { // gradient mode is per thread
                Tensor out = f.apply(from, count);
                return pool == null ? out : Tensors.keep(out); // a worker's output outlives its scope; released below
            }
        });
        if (pool == null) return outputs.get(0); // made on the caller's thread, in its scope
        Tensor all = Tensors.cat(0, outputs.toArray(new Tensor[0]));
        for (Tensor t : outputs) t.releaseReference();
        return all;
    }

    /**
     * {@code task}'s results for each shard in order: on the caller's thread when there is one shard, else on the
     * workers at once, each in a PointerScope of its own, OpenBLAS at the workers' thread count meanwhile.
     */
    private <T> List<T> run(int batch, java.util.function.BiFunction<Integer, Integer, T> task) {
        if (batch < 1) throw new IllegalArgumentException("batch " + batch + " must be positive");
        if (pool == null) return List.of(task.apply(0, batch));
        int n = Math.min(shards, batch), blasThreads = blasThreads();
        openblas_nolapack.blas_set_num_threads(threadsEach); // a global setting: for the shards' products only
        try {
            List<Future<T>> parts = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                int from = (int) ((long) k * batch / n), to = (int) ((long) (k + 1) * batch / n);
                parts.add(pool.submit(() -> {
                    try (PointerScope scope = new PointerScope()) {
                        return task.apply(from, to - from);
                    }
                }));
            }
            List<T> out = new ArrayList<>(n);
            for (Future<T> f : parts) out.add(join(f));
            return out;
        } finally {
            openblas_nolapack.blas_set_num_threads(blasThreads);
        }
    }

    /** OpenBLAS's thread count: as last set, else its default (OPENBLAS_NUM_THREADS, else one per core). */
    static int blasThreads() {
        int n = openblas_nolapack.blas_get_num_threads(); // -1 until set
        if (n > 0) return n;
        String env = System.getenv("OPENBLAS_NUM_THREADS");
        try {
            if (env != null && Integer.parseInt(env.trim()) > 0) return Integer.parseInt(env.trim());
        } catch (NumberFormatException e) {
            // not a number: OpenBLAS ignores it too
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a batch shard ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }
}
