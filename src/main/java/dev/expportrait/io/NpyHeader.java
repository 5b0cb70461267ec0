package dev.expportrait.io;

import static dev.expportrait.io.Messages.inputError;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header dict of a .npy file: element type (with string width for {@code <Un}), byte order of the
 * stored data, whether it is stored in Fortran (column-major) order, and the shape.
 */
record NpyHeader(DType dtype, int strWidth, ByteOrder order, boolean fortranOrder, long[] shape) {
    /** numpy's spare room after the dict, so the first axis can grow in place (format.py GROWTH_AXIS_MAX_DIGITS). */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final Set<Object> KEYS = Set.of("descr", "fortran_order", "shape");
    /** Byte order, kind, size (or width for 'U'); anything after, such as datetime units, fails to match. */
    private static final Pattern DESCR = Pattern.compile("([<>|=]?)([a-zA-Z])(\\d+)");

    /** The header of an array written by us: C order, little-endian. */
    static NpyHeader of(NdArray a) {
        return new NpyHeader(a.dtype(), a.strWidth(), ByteOrder.LITTLE_ENDIAN, false, a.shape());
    }

    /**
     * The dict as numpy writes it (keys sorted, trailing ", ", spare spaces), without the final padding:
     * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}.
     */
    String format() {
        String descr = dtype == DType.STR ? dtype.npyDescr() + strWidth : dtype.npyDescr();
        StringBuilder sb = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ")
                .append(fortranOrder ? "True" : "False").append(", 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        sb.append(shape.length == 1 ? ",), }" : "), }");
        if (shape.length > 0) {
            long growing = shape[fortranOrder ? shape.length - 1 : 0];
            sb.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(growing).length()));
        }
        return sb.toString();
    }

    /** Parses the header text; {@code source} names the input in error messages. */
    static NpyHeader parse(String text, String source) {
        Object parsed;
        try {
            parsed = PyLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            throw inputError(source + ": .npy header is not a valid dict: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> dict)) {
            throw inputError(source + ": .npy header is not a dict");
        }
        if (!dict.keySet().equals(KEYS)) {
            throw inputError(source + ": .npy header has keys " + dict.keySet()
                    + ", expected descr, fortran_order, shape");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw inputError(source + ": .npy header fortran_order is not True or False");
        }
        long[] shape = shape(dict.get("shape"), source);
        Object descr = dict.get("descr");
        if (containsObjectType(descr)) {
            throw inputError(source + ": array is a pickled object array (dtype " + describe(descr)
                    + "); refusing to unpickle");
        }
        if (!(descr instanceof String d)) {
            throw inputError(source + ": unsupported dtype " + describe(descr) + " (structured arrays are not supported)");
        }
        Matcher m = DESCR.matcher(d);
        if (!m.matches()) {
            throw inputError(source + ": unsupported dtype '" + d + "'");
        }
        ByteOrder order = switch (m.group(1)) {
            case ">" -> ByteOrder.BIG_ENDIAN;
            case "=", "" -> ByteOrder.nativeOrder();
            default -> ByteOrder.LITTLE_ENDIAN; // '<', or '|' for single bytes
        };
        char kind = m.group(2).charAt(0);
        int size;
        try {
            size = Integer.parseInt(m.group(3));
        } catch (NumberFormatException e) {
            throw inputError(source + ": unsupported dtype '" + d + "'");
        }
        if (kind == 'U') {
            if (size < 1) {
                throw inputError(source + ": unsupported dtype '" + d + "' (zero-width string)");
            }
            return new NpyHeader(DType.STR, size, order, fortran, shape);
        }
        DType dtype = DType.ofNpy(kind, size)
                .orElseThrow(() -> inputError(source + ": unsupported dtype '" + d + "'"));
        return new NpyHeader(dtype, 0, order, fortran, shape);
    }

    private static long[] shape(Object value, String source) {
        if (!(value instanceof List<?> list)) {
            throw inputError(source + ": .npy header shape is not a tuple: " + describe(value));
        }
        long[] shape = new long[list.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(list.get(i) instanceof Long n) || n < 0) {
                throw inputError(source + ": .npy header shape has an invalid axis length: " + describe(value));
            }
            shape[i] = n;
        }
        return shape;
    }

    /** True if the descr is, or (for structured dtypes) contains, numpy's object type 'O', which only pickle can read. */
    private static boolean containsObjectType(Object descr) {
        if (descr instanceof String s) {
            return s.matches("[<>|=]?O\\d*");
        }
        if (descr instanceof List<?> list) {
            return list.stream().anyMatch(NpyHeader::containsObjectType);
        }
        return false;
    }

    private static String describe(Object value) {
        return value == PyLiteral.NONE ? "None" : String.valueOf(value);
    }
}
