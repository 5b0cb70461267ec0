package dev.expportrait.transfer;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.io.InputException;
import dev.expportrait.tensor.BatchShards;
import dev.expportrait.tensor.Ema;
import dev.expportrait.tensor.ParameterAdam;
import dev.expportrait.tensor.Tensors;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Trains the transfer module self-supervised (Sec. 3.2): for identity i at frame t, predict D_exp,t of i
 * (Eq. 9) from i's neutral geometry and the codes of i's own driving signals (Eq. 8); mean squared error in
 * square millimetres over random face vertices, each frame's weighed by the energy of its prediction ({@code balance}),
 * plus a small mean absolute error ({@code l1Weight}); with {@code emaDecay} the result is the weights' moving average. Identities (heads with the same shape and D_id) are split
 * into training and validation; validation scores whole faces of held-out identities. Checkpoints are
 * written every {@code checkpointEvery} steps and at the end; a run given an existing checkpoint of the same
 * config resumes from it and ends with the weights an uninterrupted run would have.
 */
public final class TransferTrainer {
    /** At most this many frames of each validation head are scored... */
    private static final int VALIDATION_FRAMES = 12;
    /**
     * ...and at most about this many in all: one frame of G costs as much as ~70 training steps' vertices, so 12 frames
     * of 116 held-out heads took longer than the 250 training steps between two validations.
     */
    private static final int VALIDATION_BUDGET = 256;

    private final NeutralFeatures features;
    private final TransferConfig config;

    public TransferTrainer(NeutralFeatures features, TransferConfig config) {
        this.features = features;
        this.config = config;
    }

    /**
     * @param trainLoss mean squared error (mm^2) of each step's batch (without the L1 term)
     * @param validationSteps steps after which validation ran; {@code validationLoss} its mean squared error (mm^2)
     */
    public record Result(TransferModel model, double[] trainLoss, double[] validationSteps, double[] validationLoss,
                         int trainHeads, int validationHeads, double seconds) {
        /** The last validation loss (mm^2), or NaN without validation heads. */
        public double finalValidation() {
            return validationLoss.length == 0 ? Double.NaN : validationLoss[validationLoss.length - 1];
        }
    }

    /**
     * One training head as the steps read it: its features [Nf, SIZE] (one tensor shared by the heads of an identity),
     * its drivers [1, T, E + 3], and its D_exp,t [T * Nf * 3] in metres, the sample's own array (not copied into a
     * tensor: a batch reads 8 x 1,024 of its vertices, and a copy of every head's offsets doubled the memory of a run).
     */
    record Prepared(String name, Tensor features, Tensor drivers, float[] offsets, int frames, int faceVertices, double[] frameEnergy) {

        /** Frame t's targets in millimetres, [Nf * 3]. */
        float[] target(int t) {
            int per = faceVertices * 3;
            float[] mm = new float[per];
            for (int i = 0; i < per; i++) mm[i] = offsets[t * per + i] * 1e3f;
            return mm;
        }

        /** Frame t's targets at the drawn vertices {@code ids}, millimetres, as a tensor [N, 3]. */
        Tensor target(int t, int[] ids) {
            return Tensors.floats(targetsAt(offsets, faceVertices, t, ids), ids.length, 3);
        }

        /** Frame t's targets over the whole face, millimetres, [Nf, 3]. */
        Tensor targetTensor(int t) {
            return Tensors.floats(target(t), faceVertices, 3);
        }
    }

    /**
     * Frame t's offsets at face vertices {@code ids} in millimetres, [N * 3], from D_exp,t [T * Nf * 3] in metres: what
     * a step trains on (the float product by 1000, as libtorch's multiplication by a scalar gives).
     */
    static float[] targetsAt(float[] offsets, int faceVertices, int t, int[] ids) {
        float[] mm = new float[ids.length * 3];
        int base = t * faceVertices * 3;
        for (int k = 0; k < ids.length; k++) {
            for (int c = 0; c < 3; c++) mm[k * 3 + c] = offsets[base + ids[k] * 3 + c] * 1e3f;
        }
        return mm;
    }

    /**
     * @param checkpoint where checkpoints go (an existing one of the same config is resumed), or null for none
     * @param provenance metadata for the checkpoint (command, data)
     */
    public Result train(List<TransferSample> samples, Path checkpoint, Map<String, String> provenance, PrintStream log) {
        return train(samples, checkpoint, provenance, log, config.steps());
    }

    /** As {@link #train(List, Path, Map, PrintStream)}, stopping after step {@code stopAt} (an interruption, for tests). */
    Result train(List<TransferSample> samples, Path checkpoint, Map<String, String> provenance, PrintStream log, int stopAt) {
        long start = System.nanoTime();
        int e = config.sizes().numExpression();
        for (TransferSample s : samples) {
            if (s.numExpression() != e) {
                throw new InputException(s.name() + ": " + s.numExpression() + " expression coefficients, the module is sized for " + e);
            }
        }
        List<List<TransferSample>> split = split(samples);
        List<Prepared> train = prepare(split.get(0)), validation = prepare(split.get(1));
        if (train.isEmpty()) throw new InputException("no training heads: all " + samples.size() + " went to validation");
        TransferModel model;
        ParameterAdam adam;
        Ema ema;
        int first = 0;
        double[] trainLoss = new double[config.steps()];
        List<Double> valSteps = new ArrayList<>(), valLoss = new ArrayList<>();
        String json = config.toJson();
        if (checkpoint != null && Files.isRegularFile(checkpoint)) {
            TransferCheckpoint.State s = TransferCheckpoint.read(checkpoint);
            if (!s.config().equals(json)) {
                throw new InputException(checkpoint + ": a checkpoint of another run (config " + s.config() + "); delete it or train with the same options");
            }
            model = s.model();
            adam = new ParameterAdam(model.parameters());
            ema = config.emaDecay() > 0 ? new Ema(model.parameters(), config.emaDecay()) : null;
            TransferCheckpoint.restore(checkpoint, adam, ema, s.step());
            first = s.step();
            System.arraycopy(s.train(), 0, trainLoss, 0, first);
            for (int i = 0; i < s.validation().length; i++) {
                valSteps.add(s.validationSteps()[i]);
                valLoss.add(s.validation()[i]);
            }
            log.printf(Locale.ROOT, "resuming from %s at step %d of %d%n", checkpoint, first, config.steps());
        } else {
            model = new TransferModel(features.head().model().name(), features.head().upsampler().levels(), config.sizes(), config.seed());
            adam = new ParameterAdam(model.parameters());
            ema = config.emaDecay() > 0 ? new Ema(model.parameters(), config.emaDecay()) : null;
        }
        log.printf(Locale.ROOT, "training the transfer module (%d parameters) on %d heads, validating on %d held-out identities' %d heads, %d steps of %d frames x %d vertices%n",
                model.parameterCount(), train.size(), split.get(1).stream().map(TransferTrainer::identityKey).distinct().count(), validation.size(),
                config.steps(), config.batchFrames(), config.batchVertices());
        double energy = validation.isEmpty() ? Double.NaN : energy(validation);
        int end = Math.min(stopAt, config.steps());
        long t0 = System.nanoTime();
        // A step's passes run as shards of its frames, one per core (each frame's share of the batch's means).
        BatchShards shards = new BatchShards(config.batchFrames(), torch.get_num_threads());
        double[] mse = new double[config.batchFrames()]; // each shard's share of the squared error, at its first frame
        for (int step = first; step < end; step++) {
            try (PointerScope scope = new PointerScope()) {
                List<Draw> draws = draws(train, step);
                java.util.Arrays.fill(mse, 0);
                shards.backward(draws.size(), (from, count) -> {
                    Tensor[] loss = shardLoss(model, train, draws, from, count);
                    mse[from] = loss[1].item_double();
                    return loss[0];
                });
                double sum = 0;
                for (double x : mse) sum += x;
                trainLoss[step] = sum;
                adam.step(config.rate(step), TransferConfig.CLIP);
            }
            if (ema != null) ema.update();
            int done = step + 1;
            boolean last = done == config.steps();
            if (done % config.validateEvery() == 0 || last) {
                double v = validation.isEmpty() ? Double.NaN : validate(model, ema, validation);
                if (!validation.isEmpty()) {
                    valSteps.add((double) done);
                    valLoss.add(v);
                }
                double rate = (done - first) / ((System.nanoTime() - t0) / 1e9);
                log.printf(Locale.ROOT, "  step %d/%d  train %.5f mm^2  validation %s  %.1f steps/s, %s left%n", done, config.steps(),
                        mean(trainLoss, Math.max(0, done - config.validateEvery()), done),
                        Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.5f mm^2 (%.1f%% of the offsets' mean square)", v, 100 * v / energy), rate,
                        duration((config.steps() - done) / rate));
            }
            if (checkpoint != null && (done % config.checkpointEvery() == 0 || done == end)) {
                TransferCheckpoint.write(checkpoint, model, adam, ema, done, json, trainLoss, unbox(valSteps), unbox(valLoss), provenance);
            }
        }
        if (ema != null) ema.load();
        return new Result(model, Arrays.copyOf(trainLoss, end), unbox(valSteps), unbox(valLoss), train.size(), validation.size(),
                (System.nanoTime() - start) / 1e9);
    }

    /** One frame of a step's batch: the training head, its frame, the face vertices drawn and their importance weights (null: uniform). */
    record Draw(int head, int frame, int[] vertices, float[] weights) {}

    /** The frames and vertices of one step's batch, drawn from the seed and the step alone. */
    List<Draw> draws(List<Prepared> train, int step) {
        SplittableRandom r = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + step);
        int b = config.batchFrames(), nv = config.batchVertices();
        List<Draw> draws = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            int s, t;
            if (config.activity() > 0) {
                int[] drawn = drawFrame(train, r.nextDouble());
                s = drawn[0];
                t = drawn[1];
            } else {
                s = r.nextInt(train.size());
                t = r.nextInt(train.get(s).frames());
            }
            Prepared p = train.get(s);
            int[] ids = new int[nv];
            float[] weight = null;
            if (config.focus() > 0) {
                double[] cumulative = focusCumulative(p.target(t), config.focus());
                weight = new float[nv];
                for (int k = 0; k < nv; k++) {
                    ids[k] = drawVertex(cumulative, r.nextDouble());
                    weight[k] = (float) importanceWeight(cumulative, ids[k]);
                }
            } else {
                for (int k = 0; k < nv; k++) ids[k] = r.nextInt(p.faceVertices());
            }
            draws.add(new Draw(s, t, ids, weight));
        }
        return draws;
    }

    /**
     * Frames {@code from} .. {@code from + count - 1}'s share of the batch's loss and of its mean squared error part
     * (mm^2): their {@link #loss} times count / B, each frame weighing the same in the batch's means.
     */
    Tensor[] shardLoss(TransferModel model, List<Prepared> train, List<Draw> draws, int from, int count) {
        int nv = config.batchVertices();
        Map<Integer, Tensor> codes = new TreeMap<>();
        Tensor[] f = new Tensor[count], c = new Tensor[count], y = new Tensor[count], w = new Tensor[count];
        for (int i = 0; i < count; i++) {
            Draw d = draws.get(from + i);
            Prepared p = train.get(d.head());
            Tensor idx = Tensors.longs(d.vertices(), nv);
            f[i] = torch.index_select(p.features(), 0, idx);
            y[i] = p.target(d.frame(), d.vertices());
            c[i] = codes.computeIfAbsent(d.head(), k -> model.codes(p.drivers()).squeeze(0)).select(0, d.frame());
            if (d.weights() != null) w[i] = Tensors.floats(d.weights(), nv);
        }
        Tensor prediction = model.offsetsMillimetres(Tensors.stack(0, f), Tensors.stack(0, c));
        Tensor[] loss = loss(prediction, Tensors.stack(0, y), config.focus() > 0 ? Tensors.stack(0, w) : null, config.balance(), config.l1Weight());
        if (count == draws.size()) return loss;
        org.bytedeco.pytorch.Scalar share = scalar((double) count / draws.size());
        return new Tensor[] {loss[0].mul(share), loss[1].mul(share)};
    }

    /**
     * The cumulative sums over a frame's face vertices of |target| + focus (mm), the unnormalised probabilities of
     * drawing each vertex: where the face creases is drawn more often than where it rests.
     *
     * @param target [Nf * 3] offsets, millimetres
     */
    static double[] focusCumulative(float[] target, double focus) {
        double[] cumulative = new double[target.length / 3];
        double acc = 0;
        for (int v = 0; v < cumulative.length; v++) {
            double x = target[v * 3], y = target[v * 3 + 1], z = target[v * 3 + 2];
            acc += Math.sqrt(x * x + y * y + z * z) + focus;
            cumulative[v] = acc;
        }
        return cumulative;
    }

    /** 1 / (Nf p_v) for vertex v drawn by {@link #drawVertex}: a mean of weighed values over drawn vertices estimates the face's mean. */
    static double importanceWeight(double[] cumulative, int v) {
        double mass = cumulative[v] - (v == 0 ? 0 : cumulative[v - 1]);
        return cumulative[cumulative.length - 1] / cumulative.length / mass;
    }

    /** The index (a vertex, or a frame for {@link #drawFrame}) at quantile u in [0, 1) of the cumulative weights. */
    static int drawVertex(double[] cumulative, double u) {
        double target = u * cumulative[cumulative.length - 1];
        int lo = 0, hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > target) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /** {@link #loss(Tensor, Tensor, Tensor, double, double)} of vertices drawn uniformly. */
    static Tensor[] loss(Tensor prediction, Tensor target, double balance, double l1Weight) {
        return loss(prediction, target, null, balance, l1Weight);
    }

    /**
     * The training loss of a batch and its mean squared error part.
     *
     * @param prediction [B, N, 3] offsets of B frames, millimetres
     * @param target [B, N, 3] millimetres
     * @param weights [B, N] each drawn vertex's importance weight, 1 / (Nf p) for a vertex drawn with probability p,
     *     so that every mean over the drawn vertices estimates the mean over the whole face; null: drawn uniformly
     * @param balance (mm) each frame's squared error over the mean square of its prediction (not differentiated)
     *     plus balance^2, times balance^2; 0: the plain mean squared error
     * @param l1Weight (mm) weight of the mean absolute error added
     * @return {loss, mean squared error (mm^2)}
     */
    static Tensor[] loss(Tensor prediction, Tensor target, Tensor weights, double balance, double l1Weight) {
        Tensor residual = prediction.sub(target);
        Tensor perFrame = meanOverVertices(residual.square(), weights); // [B]
        Tensor mse = perFrame.mean();
        Tensor fit = mse;
        if (balance > 0) {
            // Weighed by the energy of the module's own prediction, not of the target: the target's depends on what the
            // module cannot see (the skin's softness sets the cheek puff's depth), and weights 1 / (a^2 + b^2) of a
            // target amplitude a move the optimum from the mean amplitude towards the shallow identities (8% under it
            // for amplitudes uniform in 2-4 mm, as the puff's).
            Tensor energy = meanOverVertices(prediction.square(), weights).detach();
            double b2 = balance * balance;
            fit = perFrame.div(energy.add(scalar(b2))).mean().mul(scalar(b2));
        }
        if (l1Weight > 0) fit = fit.add(meanOverVertices(residual.abs(), weights).mean().mul(scalar(l1Weight)));
        return new Tensor[] {fit, mse};
    }

    /** [B, N, 3] to [B]: the mean over vertices and coordinates, each vertex weighed by {@code weights} [B, N] (null: 1). */
    private static Tensor meanOverVertices(Tensor values, Tensor weights) {
        Tensor v = weights == null ? values : values.mul(weights.unsqueeze(2));
        return v.mean(new long[] {1, 2}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
    }

    private int[] drawFrame(List<Prepared> train, double u) {
        double[][] energies = new double[train.size()][];
        for (int h = 0; h < energies.length; h++) energies[h] = train.get(h).frameEnergy();
        return drawFrame(energies, config.activity(), u);
    }

    /** The (head, frame) at quantile u in [0, 1) of the weights energy + activity^2 over every frame of every head. */
    static int[] drawFrame(double[][] energies, double activity, double u) {
        double a2 = activity * activity, acc = 0;
        int frames = 0;
        for (double[] e : energies) frames += e.length;
        double[] cumulative = new double[frames];
        int i = 0;
        for (double[] e : energies) for (double x : e) cumulative[i++] = acc += x + a2;
        int k = drawVertex(cumulative, u);
        for (int h = 0; ; h++) {
            if (k < energies[h].length) return new int[] {h, k};
            k -= energies[h].length;
        }
    }

    /** {@link #validate(TransferModel, List)} of the averaged weights when there is an average, else of the model's. */
    private static double validate(TransferModel model, Ema ema, List<Prepared> heads) {
        if (ema == null) return validate(model, heads);
        double[] v = new double[1];
        ema.withAveraged(() -> v[0] = validate(model, heads));
        return v[0];
    }

    /**
     * The frames of a head of {@code frames} frames that validation scores when there are {@code heads} validation heads: evenly spaced,
     * each in the middle of its stretch (a motion's first frame is often at rest).
     */
    static int[] validationFrames(int frames, int heads) {
        int k = Math.max(1, Math.min(Math.min(VALIDATION_FRAMES, frames), VALIDATION_BUDGET / Math.max(1, heads)));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) out[i] = (int) ((2L * i + 1) * frames / (2L * k));
        return out;
    }

    /** Mean squared error (mm^2) over every face vertex of the {@link #validationFrames} of each head. */
    private static double validate(TransferModel model, List<Prepared> heads) {
        double sum = 0;
        long count = 0;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            for (Prepared p : heads) {
                Tensor codes = model.codes(p.drivers()).squeeze(0);
                for (int t : validationFrames(p.frames(), heads.size())) {
                    try (PointerScope frame = new PointerScope()) { // one frame's activations at a time
                        Tensor pred = model.offsetsMillimetres(p.features().unsqueeze(0), codes.narrow(0, t, 1));
                        sum += pred.squeeze(0).sub(p.targetTensor(t)).square().sum().item_double();
                    }
                    count += p.faceVertices() * 3L;
                }
            }
        }
        return sum / count;
    }

    /** The mean square (mm^2) of the validation targets over the frames {@link #validate} scores: the error of predicting 0. */
    private static double energy(List<Prepared> heads) {
        double sum = 0;
        long count = 0;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            for (Prepared p : heads) {
                for (int t : validationFrames(p.frames(), heads.size())) {
                    try (PointerScope frame = new PointerScope()) {
                        sum += p.targetTensor(t).square().sum().item_double();
                    }
                    count += p.faceVertices() * 3L;
                }
            }
        }
        return sum / count;
    }

    /** Identities, in a seeded order: the first {@code validation} fraction (at least one when asked) go to validation. */
    private List<List<TransferSample>> split(List<TransferSample> samples) {
        return dev.expportrait.tensor.GroupSplit.of(samples, TransferTrainer::identityKey, config.validation(), config.seed());
    }

    /** Heads of one identity share shape and identity offsets. */
    static String identityKey(TransferSample s) {
        return Integer.toHexString(Arrays.hashCode(s.betas())) + "-" + Integer.toHexString(Arrays.hashCode(s.identityOffsets()));
    }

    List<Prepared> prepare(List<TransferSample> samples) {
        List<Prepared> out = new ArrayList<>();
        int d = config.sizes().numExpression() + 3;
        Map<String, Tensor> featuresOfIdentity = new HashMap<>(); // the heads of an identity share their neutral geometry
        for (TransferSample s : samples) {
            Tensor f = featuresOfIdentity.computeIfAbsent(identityKey(s) + "-" + Integer.toHexString(Arrays.hashCode(s.faceVertices())),
                    k -> features.of(s.betas(), s.identityOffsets(), s.faceVertices()));
            Tensor drivers = Tensors.floats(s.drivers(), 1, s.frames(), d);
            double[] energy = new double[s.frames()];
            int per = s.faceVertices().length * 3;
            float[] m = s.expressionOffsets();
            for (int t = 0; t < s.frames(); t++) {
                double sum = 0;
                for (int i = 0; i < per; i++) sum += 1e6 * (double) m[t * per + i] * m[t * per + i];
                energy[t] = sum / per;
            }
            out.add(new Prepared(s.name(), f, drivers, m, s.frames(), s.faceVertices().length, energy));
        }
        return out;
    }

    private static double mean(double[] a, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += a[i];
        return s / Math.max(1, to - from);
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A duration for progress lines: "42s" or "3m07s". */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds)) return "?";
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
