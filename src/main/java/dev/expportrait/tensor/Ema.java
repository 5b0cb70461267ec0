package dev.expportrait.tensor;

import static dev.expportrait.tensor.Tensors.scalar;

import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * An exponential moving average of a network's weights (the EMA weights a diffusion model samples with):
 * after each optimizer step, shadow = d shadow + (1 - d) weight with d = min(decay, (1 + n) / (10 + n)) at
 * update n, so the average follows the fast early changes and then settles. Shadows start as copies.
 */
public final class Ema {
    private final FlatParameters flat;
    private final Tensor shadowAll; // [N], laid out like the gathered parameters
    private final Map<String, Tensor> shadow;
    private final double decay;
    private long updates;

    /** An average of {@code parameters}, which it gathers into one buffer ({@link FlatParameters}; the same tensor objects). */
    public Ema(Map<String, Tensor> parameters, double decay) {
        if (!(decay >= 0 && decay < 1)) throw new IllegalArgumentException("EMA decay " + decay + " must be in [0, 1)");
        this.decay = decay;
        this.flat = FlatParameters.of(parameters);
        try (NoGradGuard g = new NoGradGuard()) {
            shadowAll = flat.values().clone();
        }
        shadow = flat.views(shadowAll);
    }

    public void update() {
        double d = Math.min(decay, (1.0 + updates) / (10.0 + updates));
        updates++;
        try (NoGradGuard g = new NoGradGuard()) {
            shadowAll.lerp_(flat.values(), scalar(1 - d)); // shadow + (1 - d) (weight - shadow), in place over all weights
        }
    }

    /** The averaged weights by name (restored in place by a checkpoint). */
    public Map<String, Tensor> shadow() {
        return shadow;
    }

    /** Runs {@code action} with the averaged weights in the parameters, then puts the trained weights back. */
    public void withAveraged(Runnable action) {
        Tensor saved;
        try (NoGradGuard g = new NoGradGuard()) {
            saved = flat.values().clone();
            flat.values().copy_(shadowAll);
        }
        try {
            action.run();
        } finally {
            try (NoGradGuard g = new NoGradGuard()) {
                flat.values().copy_(saved);
            }
        }
    }

    /** Copies the averaged weights into the parameters for good (the end of a run). */
    public void load() {
        try (NoGradGuard g = new NoGradGuard()) {
            flat.values().copy_(shadowAll);
        }
    }

    public long updates() {
        return updates;
    }

    public void updates(long n) {
        updates = n;
    }
}
