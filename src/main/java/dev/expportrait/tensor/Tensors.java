package dev.expportrait.tensor;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

import org.bytedeco.pytorch.AbstractTensor;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Small helpers over libtorch (org.bytedeco:pytorch): thread set-up, Java arrays in and out, scalars.
 * Tensors made here are float32 or float64 on the CPU and own their memory (the Java array is copied).
 */
public final class Tensors {
    private Tensors() {}

    private static volatile boolean initialised;

    /** Sets libtorch's intra-op thread count to the number of cores once (it starts at 1 here; stack.md). */
    public static void init() {
        if (initialised) {
            return;
        }
        synchronized (Tensors.class) {
            if (!initialised) {
                torch.set_num_threads(Runtime.getRuntime().availableProcessors());
                initialised = true;
            }
        }
    }

    /** A float32 tensor of the given shape holding a copy of {@code data}. */
    public static Tensor floats(float[] data, long... shape) {
        init();
        return AbstractTensor.create(data, shape);
    }

    /** A float64 tensor of the given shape holding a copy of {@code data}. */
    public static Tensor doubles(double[] data, long... shape) {
        init();
        return AbstractTensor.create(data, shape);
    }

    /** An int64 tensor (the index type of libtorch) holding {@code data}. */
    public static Tensor longs(int[] data, long... shape) {
        long[] wide = new long[data.length];
        for (int i = 0; i < data.length; i++) {
            wide[i] = data[i];
        }
        init();
        return AbstractTensor.create(wide, shape);
    }

    /** A copy of {@code data} as a tensor of the given floating type (Float or Double). */
    public static Tensor of(float[] data, ScalarType type, long... shape) {
        Tensor t = floats(data, shape);
        return type.intern() == ScalarType.Float ? t : t.to(type); // intern: a type read back from a tensor is another instance of the constant
    }

    /** The values of a tensor (any float or integer type, any layout) as float32 in C order. */
    public static float[] toFloats(Tensor t) {
        Tensor c = t.detach().to(ScalarType.Float).contiguous();
        FloatBuffer buf = c.createBuffer();
        float[] out = new float[(int) c.numel()];
        buf.get(out);
        return out;
    }

    /** The values of a tensor as float64 in C order. */
    public static double[] toDoubles(Tensor t) {
        Tensor c = t.detach().to(ScalarType.Double).contiguous();
        DoubleBuffer buf = c.createBuffer();
        double[] out = new double[(int) c.numel()];
        buf.get(out);
        return out;
    }

    /** The values of an integer tensor as int64 in C order. */
    public static long[] toLongs(Tensor t) {
        Tensor c = t.detach().to(ScalarType.Long).contiguous();
        LongBuffer buf = c.createBuffer();
        long[] out = new long[(int) c.numel()];
        buf.get(out);
        return out;
    }

    /** The shape of a tensor. */
    public static long[] shape(Tensor t) {
        return t.sizes().vec().get();
    }

    public static Scalar scalar(double v) {
        return new Scalar(v);
    }

    /** Concatenates along {@code dim}. */
    public static Tensor cat(long dim, Tensor... parts) {
        return torch.cat(new TensorVector(parts), dim);
    }

    /** Stacks along a new axis {@code dim}. */
    public static Tensor stack(long dim, Tensor... parts) {
        return torch.stack(new TensorVector(parts), dim);
    }

    /** Zeros of the given shape and floating type. */
    public static Tensor zeros(ScalarType type, long... shape) {
        init();
        return torch.zeros(shape).to(type);
    }

    /**
     * Keeps {@code t} alive past the {@link org.bytedeco.javacpp.PointerScope} it may be created in (one more
     * reference that no scope releases), for tensors cached across calls or carried from one scope to the
     * next; {@code releaseReference()} frees it when done.
     */
    public static Tensor keep(Tensor t) {
        t.retainReference();
        return t;
    }
}
