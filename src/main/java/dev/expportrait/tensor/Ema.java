package dev.expportrait.tensor;

import static dev.expportrait.tensor.Tensors.scalar;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * An exponential moving average of a network's weights (the EMA weights a diffusion model samples with):
 * after each optimizer step, shadow = d shadow + (1 - d) weight with d = min(decay, (1 + n) / (10 + n)) at
 * update n, so the average follows the fast early changes and then settles. Shadows start as copies.
 */
public final class Ema {
    private final Map<String, Tensor> parameters;
    private final Map<String, Tensor> shadow = new LinkedHashMap<>();
    private final double decay;
    private long updates;

    public Ema(Map<String, Tensor> parameters, double decay) {
        if (!(decay >= 0 && decay < 1)) throw new IllegalArgumentException("EMA decay " + decay + " must be in [0, 1)");
        this.parameters = parameters;
        this.decay = decay;
        try (NoGradGuard g = new NoGradGuard()) {
            parameters.forEach((name, p) -> shadow.put(name, p.detach().clone()));
        }
    }

    public void update() {
        double d = Math.min(decay, (1.0 + updates) / (10.0 + updates));
        updates++;
        try (NoGradGuard g = new NoGradGuard()) {
            parameters.forEach((name, p) -> shadow.get(name).mul_(scalar(d)).add_(p.detach(), scalar(1 - d))); // in place: no temporaries
        }
    }

    /** The averaged weights by name (restored in place by a checkpoint). */
    public Map<String, Tensor> shadow() {
        return Collections.unmodifiableMap(shadow);
    }

    /** Runs {@code action} with the averaged weights in the parameters, then puts the trained weights back. */
    public void withAveraged(Runnable action) {
        Map<String, Tensor> saved = new LinkedHashMap<>();
        try (NoGradGuard g = new NoGradGuard()) {
            parameters.forEach((name, p) -> {
                saved.put(name, p.detach().clone());
                p.copy_(shadow.get(name));
            });
        }
        try {
            action.run();
        } finally {
            try (NoGradGuard g = new NoGradGuard()) {
                parameters.forEach((name, p) -> p.copy_(saved.get(name)));
            }
        }
    }

    /** Copies the averaged weights into the parameters for good (the end of a run). */
    public void load() {
        try (NoGradGuard g = new NoGradGuard()) {
            parameters.forEach((name, p) -> p.copy_(shadow.get(name)));
        }
    }

    public long updates() {
        return updates;
    }

    public void updates(long n) {
        updates = n;
    }
}
