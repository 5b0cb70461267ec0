package dev.expportrait.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A network's float32 parameters laid end to end in one buffer [N] (N = their total size, in the map's order):
 * each parameter stays the same tensor object (every layer holding it sees the move), its storage now a view of
 * the buffer; their gradients are gathered the same way. A whole-network update (Adam, EMA) is then a handful of
 * operations over N values instead of a dozen per weight: over the DiT's 90 weights the per-weight updates took
 * an eighth of a training step (BENCHMARKS.md). Buffers are made by {@link #of} and {@link #zeros()}: call them
 * outside a {@code PointerScope}, which would free them.
 */
public final class FlatParameters {
    private final Map<String, Tensor> parameters;
    private final List<long[]> shapes = new ArrayList<>();
    private final long[] offsets;
    private final Tensor values;
    private Tensor gradients; // made at the first gradients() call: an average over the weights needs none

    private FlatParameters(Map<String, Tensor> parameters, Tensor values, long[] offsets) {
        this.parameters = parameters;
        this.values = values;
        this.offsets = offsets;
        for (Tensor p : parameters.values()) shapes.add(Tensors.shape(p));
    }

    /**
     * The parameters of {@code parameters} (float32, CPU) gathered into one buffer: moved there when they are not
     * laid out so already (by an earlier call on the same map), else the buffer they already share.
     */
    public static FlatParameters of(Map<String, Tensor> parameters) {
        if (parameters.isEmpty()) throw new IllegalArgumentException("no parameters to gather");
        long[] offsets = new long[parameters.size() + 1];
        int i = 0;
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            if (e.getValue().scalar_type().intern() != torch.ScalarType.Float) throw new IllegalArgumentException("parameter " + e.getKey() + " is " + e.getValue().scalar_type() + ", not float32");
            offsets[i + 1] = offsets[i] + e.getValue().numel();
            i++;
        }
        long n = offsets[offsets.length - 1];
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor first = parameters.values().iterator().next();
            if (gathered(parameters, offsets)) {
                Tensor values = torch.empty(new long[] {0}).set_(first.detach(), first.storage_offset(), new long[] {n}, 1L);
                return new FlatParameters(parameters, values, offsets);
            }
            Tensor values = torch.empty(new long[] {n});
            i = 0;
            for (Tensor p : parameters.values()) {
                long[] shape = Tensors.shape(p);
                values.narrow(0, offsets[i], p.numel()).copy_(p.detach().reshape(-1));
                p.set_(values, offsets[i], shape, contiguousStrides(shape)); // the same tensor object, its values now in the buffer
                i++;
            }
            return new FlatParameters(parameters, values, offsets);
        }
    }

    /** Whether the parameters are contiguous, in one storage, one after the other in the map's order. */
    private static boolean gathered(Map<String, Tensor> parameters, long[] offsets) {
        Tensor first = parameters.values().iterator().next();
        long base = first.storage_offset();
        int i = 0;
        for (Tensor p : parameters.values()) {
            if (!p.is_contiguous() || !p.is_alias_of(first) || p.storage_offset() != base + offsets[i]) return false;
            i++;
        }
        return first.storage().nbytes() >= 4 * (base + offsets[offsets.length - 1]);
    }

    static long[] contiguousStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            strides[k] = s;
            s *= shape[k];
        }
        return strides;
    }

    /** The buffer [N] the parameters live in (writes to it are writes to them). */
    public Tensor values() {
        return values;
    }

    /** N, the parameters' total size. */
    public long size() {
        return offsets[offsets.length - 1];
    }

    /** The parameters by name, in order. */
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    /** A fresh zero buffer [N] laid out like the parameters (an optimizer's moments, an average). */
    public Tensor zeros() {
        return torch.zeros(new long[] {size()});
    }

    /** Each parameter's part of a buffer [N] laid out like {@link #values()}, as views of its shape, by name. */
    public Map<String, Tensor> views(Tensor buffer) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int i = 0;
        for (String name : parameters.keySet()) {
            out.put(name, buffer.narrow(0, offsets[i], offsets[i + 1] - offsets[i]).view(shapes.get(i)));
            i++;
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The parameters' gradients as one buffer [N], or null when some parameter has none (it took no part in the
     * last backward pass). The first call moves each gradient into the buffer the way {@link #of} moves the
     * parameters; autograd then accumulates into the buffer in place, so the move happens once while the
     * gradients are zeroed in place rather than dropped.
     */
    public Tensor gradients() {
        List<Tensor> grads = new ArrayList<>(parameters.size());
        for (Tensor p : parameters.values()) {
            Tensor grad = p.grad();
            if (grad == null || grad.isNull() || !grad.defined()) return null;
            grads.add(grad);
        }
        if (gradients == null) gradients = Tensors.keep(zeros()); // kept: a caller's PointerScope must not free it
        try (NoGradGuard g = new NoGradGuard()) {
            int i = 0;
            for (Tensor grad : grads) {
                if (!(grad.is_alias_of(gradients) && grad.storage_offset() == offsets[i] && grad.is_contiguous())) {
                    gradients.narrow(0, offsets[i], offsets[i + 1] - offsets[i]).copy_(grad.reshape(-1));
                    grad.set_(gradients, offsets[i], shapes.get(i), contiguousStrides(shapes.get(i)));
                }
                i++;
            }
        }
        return gradients;
    }
}
