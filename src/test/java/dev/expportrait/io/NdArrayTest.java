package dev.expportrait.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdArrayTest {

    @Test
    void factoriesKeepShapeAndValues() {
        NdArray a = NdArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(a.dtype()).isEqualTo(DType.F32);
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a.ndim()).isEqualTo(2);
        assertThat(a.shape(1)).isEqualTo(3);
        assertThat(a.numel()).isEqualTo(6);
        assertThat(a.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(NdArray.ofInts(new int[] {7, 8}).shape()).containsExactly(2);
    }

    @Test
    void constructorRejectsDataThatDoesNotMatchTheShape() {
        assertThatThrownBy(() -> new NdArray(DType.F32, new long[] {2, 3}, ByteBuffer.allocate(20)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 24");
        assertThatThrownBy(() -> NdArray.ofDoubles(new double[5], 2, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NdArray(DType.STR, new long[] {1}, ByteBuffer.allocate(4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strWidth");
    }

    @Test
    void isImmutableThroughItsAccessors() {
        NdArray a = NdArray.ofInts(new int[] {1, 2}, 2);
        a.shape()[0] = 99;
        ByteBuffer data = a.data();
        data.getInt();
        assertThat(a.shape()).containsExactly(2);
        assertThat(a.data().position()).isZero();
        assertThat(data.isReadOnly()).isTrue();
    }

    @Test
    void toIntArrayMapsUint32MinusOneAndRejectsOtherOverflow() {
        NdArray parents = Samples.raw(DType.U32, new long[] {3}, 12, b -> b.putInt(-1).putInt(0).putInt(1));
        assertThat(parents.toIntArray()).containsExactly(-1, 0, 1);
        NdArray asInt64 = NdArray.ofLongs(new long[] {4294967295L, 3});
        assertThat(asInt64.toIntArray()).containsExactly(-1, 3);
        NdArray asUint64 = Samples.raw(DType.U64, new long[] {1}, 8, b -> b.putLong(4294967295L));
        assertThat(asUint64.toIntArray()).containsExactly(-1);

        assertThatThrownBy(() -> NdArray.ofLongs(new long[] {0, 5_000_000_000L}).toIntArray())
                .isInstanceOf(InputException.class).hasMessageContaining("5000000000").hasMessageContaining("index 1");
        assertThatThrownBy(() -> Samples.raw(DType.U32, new long[] {1}, 4, b -> b.putInt(-2)).toIntArray())
                .isInstanceOf(InputException.class).hasMessageContaining("4294967294");
        // a huge uint64 whose low bits look like a small int must not wrap
        assertThatThrownBy(() -> Samples.raw(DType.U64, new long[] {1}, 8, b -> b.putLong(-5L)).toIntArray())
                .isInstanceOf(InputException.class).hasMessageContaining("18446744073709551611");
        assertThatThrownBy(() -> NdArray.ofFloats(new float[] {1}).toIntArray())
                .isInstanceOf(InputException.class).hasMessageContaining("not an integer type");
    }

    @Test
    void readersConvertBetweenNumericTypes() {
        NdArray u64 = Samples.raw(DType.U64, new long[] {2}, 16, b -> b.putLong(-1L).putLong(3));
        assertThat(u64.toDoubleArray()).containsExactly(18446744073709551615.0, 3.0);
        assertThat(u64.toFloatArray()).containsExactly(1.8446744e19f, 3f);
        assertThatThrownBy(u64::toLongArray).isInstanceOf(InputException.class);
        assertThat(NdArray.ofBytes(new byte[] {(byte) 200}).toIntArray()).containsExactly(200);
        assertThat(NdArray.ofBytes(new byte[] {0, 3}).toBooleanArray()).containsExactly(false, true);
        assertThat(NdArray.ofBools(new boolean[] {true, false}).toDoubleArray()).containsExactly(1.0, 0.0);
        assertThat(NdArray.ofDoubles(new double[] {1.0 / 3}).toFloatArray()).containsExactly(1f / 3);
        // (float) of a long rounds once; going through double would round 2^60+2^36+1 twice, to 2^60
        long v = (1L << 60) + (1L << 36) + 1;
        assertThat(NdArray.ofLongs(new long[] {v}).toFloatArray()).containsExactly((float) v);
        assertThat(NdArray.ofFloatsAsF16(new float[] {0.1f}).toFloatArray()).containsExactly(0.099975586f);
    }

    @Test
    void stringsRoundTripAndStripTrailingNuls() {
        NdArray s = NdArray.ofStrings(List.of("ab", "héllo", "𝄞"));
        assertThat(s.strWidth()).isEqualTo(5);
        assertThat(s.npyDescr()).isEqualTo("<U5");
        assertThat(s.itemSize()).isEqualTo(20);
        assertThat(s.toStrings()).containsExactly("ab", "héllo", "𝄞");
        assertThatThrownBy(s::toFloatArray).isInstanceOf(InputException.class).hasMessageContaining("<U5");
        assertThatThrownBy(() -> NdArray.ofInts(new int[] {1}).toStrings()).isInstanceOf(InputException.class);
    }

    @Test
    void equalityComparesContent() {
        assertThat(NdArray.ofInts(new int[] {1, 2}, 1, 2)).isEqualTo(NdArray.ofInts(new int[] {1, 2}, 1, 2))
                .isNotEqualTo(NdArray.ofInts(new int[] {1, 2}, 2, 1))
                .isNotEqualTo(NdArray.ofInts(new int[] {1, 3}, 1, 2));
        assertThat(NdArray.ofInts(new int[] {1}).hashCode()).isEqualTo(NdArray.ofInts(new int[] {1}).hashCode());
    }

    @Test
    void dtypesKnowTheirFileNames() {
        assertThat(DType.F32.npyDescr()).isEqualTo("<f4");
        assertThat(DType.U8.npyDescr()).isEqualTo("|u1");
        assertThat(DType.BOOL.npyDescr()).isEqualTo("|b1");
        assertThat(DType.I64.safeTensorsName()).contains("I64");
        assertThat(DType.STR.safeTensorsName()).isEmpty();
    }
}
