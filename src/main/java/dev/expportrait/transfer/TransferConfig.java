package dev.expportrait.transfer;

import dev.expportrait.io.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the transfer module is trained (self-supervised, Sec. 3.2: identity i's D_exp,t from i's neutral
 * geometry and i's own driving signals). Each step draws {@code batchFrames} (head, frame) pairs from the
 * training heads and {@code batchVertices} face vertices of each, from a generator seeded by the seed and
 * the step number, so a resumed run draws what an uninterrupted one would.
 *
 * @param steps optimizer steps
 * @param batchFrames frames per step
 * @param batchVertices face vertices per frame per step
 * @param learningRate peak Adam rate, reached after {@code warmup} steps, then cosine down to 5% of it
 * @param warmup steps of linear warm-up
 * @param validation fraction of the identities held out for validation (split by identity, seeded)
 * @param validateEvery steps between validations (and progress lines)
 * @param checkpointEvery steps between checkpoints
 * @param seed weights, split and batches
 * @param l1Weight weight (mm) of a mean absolute error added to the mean squared error: below half of it, a
 *     residual is pulled to zero at a constant rate, so the offsets stay exactly where the face does not crease
 * @param balance (mm) each frame's squared error is divided by the mean square of the module's own prediction
 *     for it (not differentiated) plus balance^2, so frames with fine creases (tenths of a millimetre) count as much
 *     as puffed cheeks (millimetres); 0: plain. The prediction's energy, not the target's: a weight that grows where
 *     the target is shallow would bias the module towards the identities with shallow offsets
 * @param activity (mm) 0: training frames drawn uniformly; above 0, each (head, frame) drawn with probability
 *     in proportion to its targets' mean square plus activity^2, so the rarer expressive frames are seen more
 * @param emaDecay 0: the module is the last step's weights; above 0, an exponential moving average of the weights
 *     with this decay ({@link dev.expportrait.tensor.Ema}), which is validated, checkpointed and written: it averages
 *     out the step-to-step wander of the weights that the noisy per-step batches cause
 * @param focus (mm) 0: each frame's training vertices drawn uniformly over the face; above 0, vertex v drawn with
 *     probability in proportion to |D_exp,t(v)| + focus and its error weighed by 1 / (Nf p_v), so the loss stays an
 *     unbiased estimate of the whole face's while the narrow folds, a few hundred of 11,801 vertices, are drawn more
 */
public record TransferConfig(int steps, int batchFrames, int batchVertices, double learningRate, int warmup, double validation,
                             int validateEvery, int checkpointEvery, long seed, double l1Weight, double balance, double activity,
                             double emaDecay, double focus, TransferModel.Sizes sizes) {
    /** Gradient-norm clip (the loss is in square millimetres). */
    static final double CLIP = 1.0;

    public TransferConfig {
        if (steps < 1 || batchFrames < 1 || batchVertices < 1 || !(learningRate > 0) || warmup < 0 || !(validation >= 0 && validation < 1)
                || validateEvery < 1 || checkpointEvery < 1 || !(l1Weight >= 0) || !(balance >= 0) || !(activity >= 0)
                || !(emaDecay >= 0 && emaDecay < 1) || !(focus >= 0)) {
            throw new IllegalArgumentException("transfer training config out of range: " + this);
        }
    }

    /** The defaults for the synthetic world on 2 cores (about 3 minutes). */
    public static TransferConfig defaults(int numExpression) {
        return new TransferConfig(3000, 8, 1024, 2e-3, 100, 0.15, 250, 250, 1, 0.02, 0.1, 0, 0, 0, TransferModel.Sizes.defaults(numExpression));
    }

    public TransferConfig withSteps(int n) {
        return new TransferConfig(n, batchFrames, batchVertices, learningRate, warmup, validation, Math.min(validateEvery, n),
                Math.min(checkpointEvery, n), seed, l1Weight, balance, activity, emaDecay, focus, sizes);
    }

    public TransferConfig withSeed(long s) {
        return new TransferConfig(steps, batchFrames, batchVertices, learningRate, warmup, validation, validateEvery, checkpointEvery, s, l1Weight, balance, activity, emaDecay, focus, sizes);
    }

    public TransferConfig withBatch(int frames, int vertices) {
        return new TransferConfig(steps, frames, vertices, learningRate, warmup, validation, validateEvery, checkpointEvery, seed, l1Weight, balance, activity, emaDecay, focus, sizes);
    }

    public TransferConfig withLearningRate(double rate) {
        return new TransferConfig(steps, batchFrames, batchVertices, rate, warmup, validation, validateEvery, checkpointEvery, seed, l1Weight, balance, activity, emaDecay, focus, sizes);
    }

    public TransferConfig withValidation(double fraction) {
        return new TransferConfig(steps, batchFrames, batchVertices, learningRate, warmup, fraction, validateEvery, checkpointEvery, seed, l1Weight, balance, activity, emaDecay, focus, sizes);
    }

    public TransferConfig withL1Weight(double w) {
        return new TransferConfig(steps, batchFrames, batchVertices, learningRate, warmup, validation, validateEvery, checkpointEvery, seed, w, balance, activity, emaDecay, focus, sizes);
    }

    public TransferConfig withActivity(double a) {
        return new TransferConfig(steps, batchFrames, batchVertices, learningRate, warmup, validation, validateEvery, checkpointEvery, seed, l1Weight, balance, a, emaDecay, focus, sizes);
    }

    public TransferConfig withEmaDecay(double d) {
        return new TransferConfig(steps, batchFrames, batchVertices, learningRate, warmup, validation, validateEvery, checkpointEvery, seed, l1Weight, balance, activity, d, focus, sizes);
    }

    public TransferConfig withFocus(double f) {
        return new TransferConfig(steps, batchFrames, batchVertices, learningRate, warmup, validation, validateEvery, checkpointEvery, seed, l1Weight, balance, activity, emaDecay, f, sizes);
    }

    public TransferConfig withSizes(TransferModel.Sizes s) {
        return new TransferConfig(steps, batchFrames, batchVertices, learningRate, warmup, validation, validateEvery, checkpointEvery, seed, l1Weight, balance, activity, emaDecay, focus, s);
    }

    /** The learning rate of step {@code step} (0-based): linear warm-up, then cosine to 5% of the peak. */
    double rate(int step) {
        return dev.expportrait.tensor.LearningRate.warmupCosine(learningRate, warmup, steps, step);
    }

    /** Everything that decides the run's result, as JSON (a checkpoint records it; resuming needs the same). */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", steps);
        m.put("batchFrames", batchFrames);
        m.put("batchVertices", batchVertices);
        m.put("learningRate", learningRate);
        m.put("warmup", warmup);
        m.put("validation", validation);
        m.put("seed", seed);
        m.put("l1Weight", l1Weight);
        m.put("balance", balance);
        m.put("balanceOn", "prediction"); // earlier runs weighed by the target's energy: their checkpoints do not resume
        if (activity > 0) m.put("activity", activity); // absent at 0, so earlier checkpoints still resume
        if (emaDecay > 0) m.put("emaDecay", emaDecay); // likewise
        if (focus > 0) m.put("focus", focus);
        m.put("numExpression", sizes.numExpression());
        m.put("code", sizes.code());
        m.put("encoderHidden", sizes.encoderHidden());
        m.put("kernel", sizes.kernel());
        m.put("hidden", sizes.hidden());
        m.put("layers", sizes.layers());
        if (sizes.patterns() > 0) m.put("patterns", sizes.patterns());
        return Json.write(m);
    }
}
