package dev.expportrait.tensor;

import static dev.expportrait.tensor.Tensors.scalar;

import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Adam (Kingma and Ba) over a network's named parameters, with global gradient-norm clipping and optional
 * decoupled weight decay (AdamW, Loshchilov and Hutter), whose moments
 * can be saved and restored, so a resumed training run continues exactly. (The fitter's Adam is a different
 * tool: it steps rows of per-frame fields.) Not thread-safe.
 */
public final class ParameterAdam {
    private static final double BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;

    private final Map<String, Tensor> parameters;
    private final FlatParameters flat;
    // The moments and a scratch buffer, each one buffer laid out like the gathered parameters, and per weight as
    // views of it. Made here, outside the callers' PointerScopes, which would free them.
    private final Tensor firstAll, secondAll, scratchAll;
    private final Map<String, Tensor> first, second, scratch;
    private final Tensor decayMask; // [N]: 1 on the weights decayed, 0 elsewhere
    private boolean[] decayedNow;
    private long steps;

    /** Adam over {@code parameters}, which it gathers into one buffer ({@link FlatParameters}; the same tensor objects). */
    public ParameterAdam(Map<String, Tensor> parameters) {
        this.parameters = parameters;
        this.flat = FlatParameters.of(parameters);
        firstAll = flat.zeros();
        secondAll = flat.zeros();
        scratchAll = flat.zeros();
        decayMask = flat.zeros();
        first = flat.views(firstAll);
        second = flat.views(secondAll);
        scratch = flat.views(scratchAll);
    }

    public long steps() {
        return steps;
    }

    public Map<String, Tensor> first() {
        return first;
    }

    public Map<String, Tensor> second() {
        return second;
    }

    /** Restores the step count (the moments are restored in place through {@link #first()} and {@link #second()}). */
    public void steps(long n) {
        this.steps = n;
    }

    /**
     * One step from the accumulated gradients, scaled down first when their global norm exceeds
     * {@code clip}; clears them.
     *
     * @return the gradient norm before clipping
     */
    public double step(double learningRate, double clip) {
        return step(learningRate, clip, 0, name -> false);
    }

    /**
     * As {@link #step(double, double)}, AdamW: each weight first shrinks by {@code learningRate * weightDecay}
     * (decoupled from the gradient's moments), for the weights {@code decayed} accepts by name.
     */
    public double step(double learningRate, double clip, double weightDecay, java.util.function.Predicate<String> decayed) {
        steps++;
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor gradients = flat.gradients();
            if (gradients != null) return flatStep(gradients, learningRate, clip, weightDecay, decayed);
            // Some weight took no part in this step: it keeps its value and moments, so each weight is stepped alone.
            double sq = 0;
            for (Tensor p : parameters.values()) {
                Tensor grad = p.grad();
                if (grad != null && !grad.isNull() && grad.defined()) {
                    double n = grad.norm().item_double();
                    sq += n * n;
                }
            }
            double norm = Math.sqrt(sq), scale = norm > clip ? clip / norm : 1;
            for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
                Tensor p = e.getValue(), grad = p.grad();
                if (grad == null || grad.isNull() || !grad.defined()) continue; // a weight this step did not use
                if (weightDecay > 0 && decayed.test(e.getKey())) p.mul_(scalar(1 - learningRate * weightDecay));
                update(p, grad, first.get(e.getKey()), second.get(e.getKey()), scratch.get(e.getKey()), scale, learningRate);
            }
            return norm;
        }
    }

    /** The step above as a few operations over all the weights at once: the same arithmetic per value. */
    private double flatStep(Tensor grad, double learningRate, double clip, double weightDecay, java.util.function.Predicate<String> decayed) {
        double norm = grad.norm().item_double(), scale = norm > clip ? clip / norm : 1;
        Tensor p = flat.values();
        if (weightDecay > 0) p.addcmul_(p, decayMask(decayed), scalar(-learningRate * weightDecay)); // p (1 - rate decay) where decayed
        update(p, grad, firstAll, secondAll, scratchAll, scale, learningRate);
        return norm;
    }

    /**
     * Adam's update of weights {@code p} from their gradient (clears it), moments and a scratch tensor of the same
     * size, in place, the clipping scale folded into the moment updates: every temporary of the size of a weight is
     * a fresh allocation, and these made the step 5-10x slower than its arithmetic (BENCHMARKS).
     */
    private void update(Tensor p, Tensor grad, Tensor m, Tensor v, Tensor denominator, double scale, double learningRate) {
        double c1 = 1 - Math.pow(BETA1, steps), c2 = 1 - Math.pow(BETA2, steps);
        m.mul_(scalar(BETA1)).add_(grad, scalar((1 - BETA1) * scale));
        v.mul_(scalar(BETA2)).addcmul_(grad, grad, scalar((1 - BETA2) * scale * scale));
        torch.sqrt_out(denominator, v).mul_(scalar(1 / Math.sqrt(c2))).add_(scalar(EPS));
        p.addcdiv_(m, denominator, scalar(-learningRate / c1));
        grad.zero_();
    }

    /** 1 where {@code decayed} accepts the weight's name, else 0, over the buffer: made again only when the answer changes. */
    private Tensor decayMask(java.util.function.Predicate<String> decayed) {
        boolean[] now = new boolean[parameters.size()];
        int i = 0;
        for (String name : parameters.keySet()) now[i++] = decayed.test(name);
        if (!java.util.Arrays.equals(now, decayedNow)) {
            i = 0;
            for (Tensor view : flat.views(decayMask).values()) view.fill_(scalar(now[i++] ? 1 : 0));
            decayedNow = now;
        }
        return decayMask;
    }
}
