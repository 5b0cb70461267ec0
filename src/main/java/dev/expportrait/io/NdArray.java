package dev.expportrait.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable n-dimensional array: element type, shape, and the elements in C (row-major) order as
 * little-endian bytes, exactly {@code numel() * itemSize()} of them.
 *
 * <p>{@code strWidth} is the number of code points per element for {@link DType#STR} (numpy {@code <Un}) and
 * 0 for every other type. A shape of length 0 is a scalar (one element); any axis may have length 0.
 * The data is held read-only; {@link #data()} returns a fresh little-endian view positioned at 0, and
 * {@link #shape()} a copy. Equality compares dtype, width, shape and bytes.
 *
 * <p>The {@code of...} factories take the shape as trailing arguments and copy the data; no shape argument
 * means a 1-D array of {@code data.length} elements (build a 0-d scalar with the constructor).
 *
 * <p>The {@code to...Array()} readers convert element-wise and throw {@link InputException} (naming the
 * element, not the file, which the caller knows) when a value cannot be represented.
 */
public record NdArray(DType dtype, long[] shape, ByteBuffer data, int strWidth) {

    /** Validates that the data holds exactly {@code numel * itemSize} bytes; throws IllegalArgumentException otherwise. */
    public NdArray {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        if (dtype == DType.STR ? strWidth < 1 : strWidth != 0) {
            throw new IllegalArgumentException("strWidth " + strWidth + " is invalid for dtype " + dtype);
        }
        shape = shape.clone();
        long bytes;
        try {
            bytes = Math.multiplyExact(numel(shape), (long) dtype.size() * Math.max(strWidth, 1));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large", e);
        }
        if (data.remaining() != bytes) {
            throw new IllegalArgumentException("data has " + data.remaining() + " bytes but shape "
                    + Arrays.toString(shape) + " of " + dtype + " needs " + bytes);
        }
        data = data.slice().asReadOnlyBuffer();
    }

    /** An array of a non-string dtype. */
    public NdArray(DType dtype, long[] shape, ByteBuffer data) {
        this(dtype, shape, data, 0);
    }

    /** The number of elements: the product of the shape (1 for a scalar); throws ArithmeticException past long. */
    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative axis length in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    // ---- factories ----

    /** A float32 array. */
    public static NdArray ofFloats(float[] data, long... shape) {
        ByteBuffer b = allocate(data.length, 4);
        b.asFloatBuffer().put(data);
        return new NdArray(DType.F32, shapeOr1d(shape, data.length), b);
    }

    /** A float16 array holding {@code data} rounded to half precision (ties to even). */
    public static NdArray ofFloatsAsF16(float[] data, long... shape) {
        ByteBuffer b = allocate(data.length, 2);
        for (float f : data) {
            b.putShort(Float16.fromFloat(f));
        }
        return new NdArray(DType.F16, shapeOr1d(shape, data.length), b.flip());
    }

    /** A float64 array. */
    public static NdArray ofDoubles(double[] data, long... shape) {
        ByteBuffer b = allocate(data.length, 8);
        b.asDoubleBuffer().put(data);
        return new NdArray(DType.F64, shapeOr1d(shape, data.length), b);
    }

    /** An int32 array. */
    public static NdArray ofInts(int[] data, long... shape) {
        ByteBuffer b = allocate(data.length, 4);
        b.asIntBuffer().put(data);
        return new NdArray(DType.I32, shapeOr1d(shape, data.length), b);
    }

    /** An int64 array. */
    public static NdArray ofLongs(long[] data, long... shape) {
        ByteBuffer b = allocate(data.length, 8);
        b.asLongBuffer().put(data);
        return new NdArray(DType.I64, shapeOr1d(shape, data.length), b);
    }

    /** A uint8 array (bytes as stored, e.g. image pixels; Java's signed -1 is 255). */
    public static NdArray ofBytes(byte[] data, long... shape) {
        return new NdArray(DType.U8, shapeOr1d(shape, data.length), ByteBuffer.wrap(data.clone()));
    }

    /** A bool array, one byte (0 or 1) per element. */
    public static NdArray ofBools(boolean[] data, long... shape) {
        ByteBuffer b = allocate(data.length, 1);
        for (boolean v : data) {
            b.put((byte) (v ? 1 : 0));
        }
        return new NdArray(DType.BOOL, shapeOr1d(shape, data.length), b.flip());
    }

    /**
     * A 1-D numpy unicode array ({@code <Un}), n being the longest string in code points (at least 1).
     * As in numpy, trailing NUL characters do not survive a round trip.
     */
    public static NdArray ofStrings(List<String> strings) {
        int width = 1;
        for (String s : strings) {
            width = Math.max(width, s.codePointCount(0, s.length()));
        }
        ByteBuffer b = allocate(strings.size(), 4L * width);
        for (String s : strings) {
            int start = b.position();
            s.codePoints().forEach(b::putInt);
            b.position(start + 4 * width); // NUL padding: the buffer is zero-filled
        }
        return new NdArray(DType.STR, new long[] {strings.size()}, b.flip(), width);
    }

    private static ByteBuffer allocate(long count, long itemSize) {
        return ByteBuffer.allocate(Math.toIntExact(count * itemSize)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long[] shapeOr1d(long[] shape, int length) {
        return shape.length == 0 ? new long[] {length} : shape;
    }

    // ---- accessors ----

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A read-only little-endian view of the elements, positioned at 0. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The number of axes (0 for a scalar). */
    public int ndim() {
        return shape.length;
    }

    /** The length of axis {@code axis}. */
    public long shape(int axis) {
        return shape[axis];
    }

    /** The number of elements. */
    public long numel() {
        return numel(shape);
    }

    /** Bytes per element: {@code dtype.size()}, times the width for STR. */
    public int itemSize() {
        return dtype == DType.STR ? 4 * strWidth : dtype.size();
    }

    /** The numpy descr, e.g. {@code <f4} or {@code <U5}. */
    public String npyDescr() {
        return dtype == DType.STR ? dtype.npyDescr() + strWidth : dtype.npyDescr();
    }

    // ---- readers ----

    /** The elements as floats: exact from F16, F32 and small integers, rounded to nearest from F64 and wide integers; BOOL is 0/1. */
    public float[] toFloatArray() {
        return Elements.toFloats(this);
    }

    /** The elements as doubles: exact except for 64-bit integers beyond 2^53; BOOL is 0/1. */
    public double[] toDoubleArray() {
        return Elements.toDoubles(this);
    }

    /**
     * The elements of an integer (or BOOL) array as ints. The value 2^32-1 (4294967295) of a U32, U64 or I64
     * array becomes -1, because SMPL-X stores the root joint's parent as uint32 -1; any other value out of
     * int range throws InputException, as does a float or string array.
     */
    public int[] toIntArray() {
        return Elements.toInts(this);
    }

    /** The elements of an integer (or BOOL) array as longs; a U64 value above 2^63-1 throws InputException. */
    public long[] toLongArray() {
        return Elements.toLongs(this);
    }

    /** The elements of a BOOL or integer array, non-zero meaning true. */
    public boolean[] toBooleanArray() {
        return Elements.toBooleans(this);
    }

    /** The elements of a STR array, trailing NULs removed (numpy's convention). */
    public List<String> toStrings() {
        return Elements.toStrings(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NdArray a && dtype == a.dtype && strWidth == a.strWidth
                && Arrays.equals(shape, a.shape) && data.equals(a.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, strWidth, Arrays.hashCode(shape), data);
    }

    @Override
    public String toString() {
        return "NdArray[" + npyDescr() + " " + Arrays.toString(shape) + "]";
    }
}
