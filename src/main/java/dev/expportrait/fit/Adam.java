package dev.expportrait.fit;

import static dev.expportrait.tensor.Tensors.scalar;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Adam for one parameter tensor whose first axis may be frames: {@link #step(Tensor)} updates the rows
 * given, and only those, each with its own step count for the bias correction. A frame that is not in the
 * batch keeps its value and its moments, which a dense Adam with a zero gradient would not (momentum would
 * keep moving it).
 *
 * <p>For offset fields the second moment can be shared by a whole field (one per row): each vertex then
 * moves in proportion to its gradient, rather than by about the learning rate whatever its gradient, which
 * per-element Adam does and which turns the estimator noise on weakly observed vertices into a random walk
 * of the surface. Not thread-safe.
 */
final class Adam {
    private static final double BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;

    private final Tensor parameter;
    private final Tensor first;
    private final Tensor second;
    private final long[] steps;
    private final boolean fieldwise;
    private double learningRate;

    /** @param parameter a leaf tensor with requires_grad; rows are its first axis */
    Adam(Tensor parameter, double learningRate) {
        this(parameter, learningRate, false);
    }

    /**
     * @param parameter a leaf tensor with requires_grad; rows are its first axis
     * @param fieldwise share the second moment over each row ({@link #step(int[])}) or the whole tensor ({@link #step()})
     */
    Adam(Tensor parameter, double learningRate, boolean fieldwise) {
        this.parameter = parameter;
        this.fieldwise = fieldwise;
        this.first = torch.zeros_like(parameter);
        this.second = torch.zeros_like(parameter);
        this.steps = new long[(int) Math.max(1, parameter.dim() == 0 ? 1 : parameter.size(0))];
        this.learningRate = learningRate;
    }

    double learningRate() {
        return learningRate;
    }

    void learningRate(double rate) {
        this.learningRate = rate;
    }

    /** One step on every row, from the parameter's accumulated gradient; clears it. */
    void step() {
        Tensor grad = parameter.grad();
        if (grad == null || grad.isNull()) {
            return;
        }
        long n = steps[0] + 1;
        java.util.Arrays.fill(steps, n);
        try (var guard = new org.bytedeco.pytorch.NoGradGuard()) {
            first.mul_(scalar(BETA1)).add_(grad.mul(scalar(1 - BETA1)));
            Tensor sq = fieldwise ? grad.square().mean().expand_as(grad) : grad.square();
            second.mul_(scalar(BETA2)).add_(sq.mul(scalar(1 - BETA2)));
            parameter.sub_(update(first, second, n, n));
        }
        grad.zero_();
    }

    /** One step on the given rows (frames) only, from the parameter's accumulated gradient; clears it. */
    void step(int[] rows) {
        Tensor grad = parameter.grad();
        if (grad == null || grad.isNull()) {
            return;
        }
        for (int row : rows) steps[row]++;
        try (var guard = new org.bytedeco.pytorch.NoGradGuard()) {
            Tensor index = dev.expportrait.tensor.Tensors.longs(rows, rows.length);
            Tensor g = torch.index_select(grad, 0, index);
            Tensor m = torch.index_select(first, 0, index).mul(scalar(BETA1)).add(g.mul(scalar(1 - BETA1)));
            Tensor sq = g.square();
            if (fieldwise && g.dim() > 1) {
                long[] dims = new long[(int) g.dim() - 1];
                for (int d = 0; d < dims.length; d++) dims[d] = d + 1;
                sq = sq.mean(dims, true, new org.bytedeco.pytorch.ScalarTypeOptional()).expand_as(g);
            }
            Tensor v = torch.index_select(second, 0, index).mul(scalar(BETA2)).add(sq.mul(scalar(1 - BETA2)));
            first.index_copy_(0, index, m);
            second.index_copy_(0, index, v);
            Tensor rowSteps = stepsOf(rows, parameter.dim());
            Tensor p = torch.index_select(parameter, 0, index).sub(update(m, v, rowSteps));
            parameter.index_copy_(0, index, p);
        }
        grad.zero_();
    }

    private Tensor update(Tensor m, Tensor v, long n1, long n2) {
        double c1 = 1 - Math.pow(BETA1, n1), c2 = 1 - Math.pow(BETA2, n2);
        return m.div(scalar(c1)).div(v.div(scalar(c2)).sqrt().add(scalar(EPS))).mul(scalar(learningRate));
    }

    /** Bias correction per row: rowSteps [N, 1, ...] broadcast over the row. */
    private Tensor update(Tensor m, Tensor v, Tensor rowSteps) {
        Tensor c1 = torch.pow(scalar(BETA1), rowSteps).neg().add(scalar(1));
        Tensor c2 = torch.pow(scalar(BETA2), rowSteps).neg().add(scalar(1));
        return m.div(c1).div(v.div(c2).sqrt().add(scalar(EPS))).mul(scalar(learningRate));
    }

    private Tensor stepsOf(int[] rows, long dims) {
        float[] s = new float[rows.length];
        for (int i = 0; i < rows.length; i++) s[i] = steps[rows[i]];
        long[] shape = new long[(int) dims];
        java.util.Arrays.fill(shape, 1);
        shape[0] = rows.length;
        return dev.expportrait.tensor.Tensors.floats(s, shape).to(parameter.scalar_type());
    }
}
