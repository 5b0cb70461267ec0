package dev.expportrait.tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;

/**
 * The named float32 parameter tensors of a network, in a fixed order (the order they were declared), each a
 * leaf with requires_grad. Initial values come from a seeded Java generator, so the same seed gives the
 * same network on any machine.
 */
public final class Parameters {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final SplittableRandom random;

    public Parameters(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A weight [fanIn, fanOut] uniform in +-gain/sqrt(fanIn) (PyTorch's default for linear layers at gain 1). */
    public Tensor weight(String name, int fanIn, int fanOut, double gain) {
        float[] w = new float[fanIn * fanOut];
        double bound = gain / Math.sqrt(fanIn);
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextDouble(-bound, bound);
        return add(name, w, fanIn, fanOut);
    }

    /** A tensor of {@code shape} uniform in +-bound (a convolution's weight: bound = gain / sqrt(fan-in)). */
    public Tensor uniform(String name, double bound, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        float[] w = new float[(int) n];
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextDouble(-bound, bound);
        return add(name, w, shape);
    }

    /** A tensor filled with {@code value} (a normalisation's scale). */
    public Tensor constant(String name, float value, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        float[] w = new float[(int) n];
        java.util.Arrays.fill(w, value);
        return add(name, w, shape);
    }

    /** A tensor of zeros. */
    public Tensor zeros(String name, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return add(name, new float[(int) n], shape);
    }

    private Tensor add(String name, float[] values, long... shape) {
        if (tensors.containsKey(name)) throw new IllegalArgumentException("parameter " + name + " declared twice");
        Tensor t = Tensors.floats(values, shape);
        t.set_requires_grad(true);
        tensors.put(name, t);
        return t;
    }

    /** Name to tensor, in declaration order. */
    public Map<String, Tensor> all() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Copies {@code values} into the parameter {@code name} (shapes must match). */
    public void load(String name, float[] values) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("no parameter " + name);
        if (t.numel() != values.length) {
            throw new IllegalArgumentException("parameter " + name + " has " + t.numel() + " values, got " + values.length);
        }
        try (var g = new org.bytedeco.pytorch.NoGradGuard()) {
            t.copy_(Tensors.floats(values, Tensors.shape(t)));
        }
    }

    public long count() {
        long n = 0;
        for (Tensor t : tensors.values()) n += t.numel();
        return n;
    }
}
