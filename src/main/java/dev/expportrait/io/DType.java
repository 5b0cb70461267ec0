package dev.expportrait.io;

import java.util.Optional;

/**
 * Element types of an {@link NdArray}, with their names in the two file formats we read and write.
 *
 * <p>All multi-byte types are stored little-endian. {@link #STR} is numpy's fixed-width unicode type
 * {@code <Un}: each element is n UTF-32LE code points, NUL-padded; the width n lives in
 * {@link NdArray#strWidth()}, so {@link #size()} is the size of one code point for STR. Safetensors has no
 * string type, and numpy has no bfloat16, so STR has no safetensors name and BF16 is not supported.
 */
public enum DType {
    F16(2, 'f', "<f2", "F16"),
    F32(4, 'f', "<f4", "F32"),
    F64(8, 'f', "<f8", "F64"),
    I8(1, 'i', "|i1", "I8"),
    U8(1, 'u', "|u1", "U8"),
    I16(2, 'i', "<i2", "I16"),
    U16(2, 'u', "<u2", "U16"),
    I32(4, 'i', "<i4", "I32"),
    U32(4, 'u', "<u4", "U32"),
    I64(8, 'i', "<i8", "I64"),
    U64(8, 'u', "<u8", "U64"),
    BOOL(1, 'b', "|b1", "BOOL"),
    STR(4, 'U', "<U", null);

    private final int size;
    private final char npyKind;
    private final String npyDescr;
    private final String safeTensorsName;

    DType(int size, char npyKind, String npyDescr, String safeTensorsName) {
        this.size = size;
        this.npyKind = npyKind;
        this.npyDescr = npyDescr;
        this.safeTensorsName = safeTensorsName;
    }

    /** Bytes per element; for {@link #STR} bytes per code point (4). */
    public int size() {
        return size;
    }

    /** The numpy descr written to .npy headers, e.g. {@code <f4}, {@code |u1}, {@code |b1}; for STR the prefix {@code <U}, followed by the width. */
    public String npyDescr() {
        return npyDescr;
    }

    /** The safetensors dtype name, e.g. {@code F32}; empty for {@link #STR}, which safetensors cannot store. */
    public Optional<String> safeTensorsName() {
        return Optional.ofNullable(safeTensorsName);
    }

    /** True for F16, F32, F64. */
    public boolean isFloat() {
        return npyKind == 'f';
    }

    /** True for the signed and unsigned integer types (not BOOL). */
    public boolean isInteger() {
        return npyKind == 'i' || npyKind == 'u';
    }

    /** The type with numpy kind character {@code kind} ('f', 'i', 'u', 'b') and element size {@code size} in bytes. */
    static Optional<DType> ofNpy(char kind, int size) {
        for (DType t : values()) {
            if (t != STR && t.npyKind == kind && t.size == size) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The type whose safetensors name is {@code name}. */
    static Optional<DType> ofSafeTensors(String name) {
        for (DType t : values()) {
            if (name.equals(t.safeTensorsName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
