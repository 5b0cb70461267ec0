package dev.expportrait.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Test arrays: one per dtype with edge values, plus a scalar and an empty array. */
final class Samples {
    private Samples() {}

    /** An array of {@code type} whose little-endian bytes are written by {@code fill}. */
    static NdArray raw(DType type, long[] shape, int bytes, Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return new NdArray(type, shape, b.flip());
    }

    /** Every numeric dtype (no STR), keyed by a name. */
    static Map<String, NdArray> numeric() {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("f16", NdArray.ofFloatsAsF16(new float[] {0f, -1.5f, 65504f, 1e-7f, Float.POSITIVE_INFINITY, -0f}, 2, 3));
        m.put("f32", NdArray.ofFloats(new float[] {1.25f, Float.NaN, -0f, Float.MIN_VALUE}, 2, 2));
        m.put("f64", NdArray.ofDoubles(new double[] {Math.PI, -1e300, 5e-324}, 3, 1));
        m.put("i8", raw(DType.I8, new long[] {3}, 3, b -> b.put((byte) 1).put((byte) -128).put((byte) 127)));
        m.put("u8", NdArray.ofBytes(new byte[] {0, (byte) 255, 7, 9}, 1, 4));
        m.put("i16", raw(DType.I16, new long[] {2}, 4, b -> b.putShort(Short.MIN_VALUE).putShort((short) 300)));
        m.put("u16", raw(DType.U16, new long[] {2}, 4, b -> b.putShort((short) 0xFFFF).putShort((short) 1)));
        m.put("i32", NdArray.ofInts(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 2, 1, 2));
        m.put("u32", raw(DType.U32, new long[] {2}, 8, b -> b.putInt(-1).putInt(12)));
        m.put("i64", NdArray.ofLongs(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}));
        m.put("u64", raw(DType.U64, new long[] {2}, 16, b -> b.putLong(-1L).putLong(42)));
        m.put("bool", NdArray.ofBools(new boolean[] {true, false, false, true}, 2, 2, 1));
        m.put("scalar", raw(DType.F64, new long[0], 8, b -> b.putDouble(2.5)));
        m.put("empty", new NdArray(DType.F32, new long[] {0, 3}, ByteBuffer.allocate(0)));
        return m;
    }

    /** Every dtype, STR included. */
    static Map<String, NdArray> all() {
        Map<String, NdArray> m = numeric();
        m.put("str", NdArray.ofStrings(List.of("ab", "héllo", "𝄞", "")));
        return m;
    }
}
