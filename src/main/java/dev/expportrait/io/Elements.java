package dev.expportrait.io;

import static dev.expportrait.io.Messages.inputError;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Element-wise conversions behind the {@code NdArray.to...Array()} readers. */
final class Elements {
    private static final long UINT32_MINUS_ONE = 0xFFFFFFFFL;

    private Elements() {}

    static double[] toDoubles(NdArray a) {
        requireNumeric(a, "doubles");
        ByteBuffer b = a.data();
        double[] out = new double[count(a)];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubleAt(a.dtype(), b, i);
        }
        return out;
    }

    static float[] toFloats(NdArray a) {
        requireNumeric(a, "floats");
        ByteBuffer b = a.data();
        float[] out = new float[count(a)];
        for (int i = 0; i < out.length; i++) {
            // 64-bit integers go straight to float: through double they would be rounded twice
            out[i] = switch (a.dtype()) {
                case I64 -> (float) b.getLong(8 * i);
                case U64 -> unsignedToFloat(b.getLong(8 * i));
                default -> (float) doubleAt(a.dtype(), b, i);
            };
        }
        return out;
    }

    static long[] toLongs(NdArray a) {
        requireInteger(a, "longs");
        ByteBuffer b = a.data();
        long[] out = new long[count(a)];
        for (int i = 0; i < out.length; i++) {
            long v = rawLongAt(a.dtype(), b, i);
            if (a.dtype() == DType.U64 && v < 0) {
                throw outOfRange(a, i, Long.toUnsignedString(v), "int64");
            }
            out[i] = v;
        }
        return out;
    }

    static int[] toInts(NdArray a) {
        requireInteger(a, "ints");
        DType t = a.dtype();
        ByteBuffer b = a.data();
        int[] out = new int[count(a)];
        for (int i = 0; i < out.length; i++) {
            long v = rawLongAt(t, b, i);
            if (v == UINT32_MINUS_ONE && (t == DType.U32 || t == DType.U64 || t == DType.I64)) {
                out[i] = -1; // SMPL-X: the root's parent is stored as uint32 4294967295
            } else if ((t == DType.U64 && v < 0) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw outOfRange(a, i, t == DType.U64 ? Long.toUnsignedString(v) : Long.toString(v), "int32");
            } else {
                out[i] = (int) v;
            }
        }
        return out;
    }

    static boolean[] toBooleans(NdArray a) {
        requireInteger(a, "booleans");
        ByteBuffer b = a.data();
        boolean[] out = new boolean[count(a)];
        for (int i = 0; i < out.length; i++) {
            out[i] = rawLongAt(a.dtype(), b, i) != 0;
        }
        return out;
    }

    static List<String> toStrings(NdArray a) {
        if (a.dtype() != DType.STR) {
            throw inputError("array of dtype " + a.npyDescr() + " does not hold strings");
        }
        ByteBuffer b = a.data();
        int width = a.strWidth();
        int n = count(a);
        List<String> out = new ArrayList<>(n);
        int[] codePoints = new int[width];
        for (int i = 0; i < n; i++) {
            int len = 0;
            for (int k = 0; k < width; k++) {
                codePoints[k] = b.getInt(4 * (i * width + k));
                if (codePoints[k] != 0) {
                    len = k + 1; // numpy strips trailing NULs only
                }
            }
            try {
                out.add(new String(codePoints, 0, len));
            } catch (IllegalArgumentException e) {
                throw inputError("string element " + i + " holds an invalid code point");
            }
        }
        return out;
    }

    private static double doubleAt(DType t, ByteBuffer b, int i) {
        return switch (t) {
            case F16 -> Float16.toFloat(b.getShort(2 * i));
            case F32 -> b.getFloat(4 * i);
            case F64 -> b.getDouble(8 * i);
            case U64 -> unsignedToDouble(b.getLong(8 * i));
            default -> rawLongAt(t, b, i);
        };
    }

    /** The integer at index i; a U64 comes back as its raw bits (negative above 2^63-1). */
    private static long rawLongAt(DType t, ByteBuffer b, int i) {
        return switch (t) {
            case I8 -> b.get(i);
            case U8, BOOL -> b.get(i) & 0xFF;
            case I16 -> b.getShort(2 * i);
            case U16 -> b.getShort(2 * i) & 0xFFFF;
            case I32 -> b.getInt(4 * i);
            case U32 -> b.getInt(4 * i) & 0xFFFFFFFFL;
            case I64, U64 -> b.getLong(8 * i);
            default -> throw new IllegalStateException("not an integer dtype: " + t);
        };
    }

    private static double unsignedToDouble(long v) {
        if (v >= 0) {
            return v;
        }
        // halve with the low bit kept sticky, so the single rounding to double stays correct
        return ((double) ((v >>> 1) | (v & 1))) * 2.0;
    }

    private static float unsignedToFloat(long v) {
        if (v >= 0) {
            return v;
        }
        return ((float) ((v >>> 1) | (v & 1))) * 2.0f;
    }

    private static void requireNumeric(NdArray a, String what) {
        if (a.dtype() == DType.STR) {
            throw inputError("array of dtype " + a.npyDescr() + " cannot be read as " + what);
        }
    }

    private static void requireInteger(NdArray a, String what) {
        if (!a.dtype().isInteger() && a.dtype() != DType.BOOL) {
            throw inputError("array of dtype " + a.npyDescr() + " cannot be read as " + what
                    + " (not an integer type)");
        }
    }

    private static InputException outOfRange(NdArray a, int index, String value, String target) {
        return inputError(a.npyDescr() + " value " + value + " at flat index " + index
                + " does not fit " + target);
    }

    private static int count(NdArray a) {
        return Math.toIntExact(a.numel());
    }
}
