package dev.expportrait.io;

/**
 * IEEE 754 binary16 ("half") conversions, as bit patterns in a {@code short}. Java 17 has no
 * {@code Float.float16ToFloat} (that arrived in Java 20), and models are stored float16 on disk.
 */
public final class Float16 {
    private Float16() {}

    /** The float equal to the half with bits {@code h}; exact for every half, NaN payloads kept. */
    public static float toFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            // zero or subnormal: mant * 2^-24, exact in float
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /**
     * The half nearest to {@code f}, ties to even (IEEE default rounding): values from 65520 up become
     * infinity, values below 2^-24 become subnormals or zero. NaN stays NaN, keeping the top payload bits.
     */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs > 0x7f800000) {
            int payload = (abs >>> 13) & 0x3ff;
            // a NaN whose payload sits only in the dropped low bits must not turn into infinity
            return (short) (sign | 0x7c00 | (payload == 0 ? 0x200 : payload));
        }
        if (abs >= 0x47800000) { // >= 65536 or infinity
            return (short) (sign | 0x7c00);
        }
        if (abs >= 0x38800000) { // >= 2^-14: a normal half (rounding may carry into the exponent, up to infinity)
            int h = ((((abs >>> 23) - 127 + 15) << 10) | ((abs >>> 13) & 0x3ff));
            return (short) (sign | roundHalfEven(h, abs & 0x1fff, 13));
        }
        if (abs < 0x33000000) { // < 2^-25: rounds to zero (2^-25 itself ties to even zero below)
            return (short) sign;
        }
        // subnormal half: mant24 * 2^(exp-150) = m * 2^-24, so m = mant24 >> (126 - exp), shift in 14..24
        int mant24 = (abs & 0x7fffff) | 0x800000;
        int shift = 126 - (abs >>> 23);
        return (short) (sign | roundHalfEven(mant24 >>> shift, mant24 & ((1 << shift) - 1), shift));
    }

    /** Rounds {@code kept} by the {@code droppedBits} low bits {@code dropped} that were cut off, ties to even. */
    private static int roundHalfEven(int kept, int dropped, int droppedBits) {
        int half = 1 << (droppedBits - 1);
        if (dropped > half || (dropped == half && (kept & 1) != 0)) {
            return kept + 1;
        }
        return kept;
    }
}
