package dev.expportrait.io;

import static dev.expportrait.io.Messages.inputError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * numpy's .npy format: magic {@code \x93NUMPY}, version, header length (2 bytes little-endian in version
 * 1.0, 4 bytes in 2.0 and 3.0), a Python dict literal header (latin-1, or UTF-8 in 3.0) padded with spaces
 * and a newline so the data starts at a multiple of 64 bytes, then the raw elements.
 *
 * <p>Reading accepts versions 1.0 to 3.0, big- and little-endian data, and Fortran order (transposed to C
 * order); it refuses object arrays, which only pickle can read. Writing produces the bytes numpy 2 would:
 * version 1.0 unless the header is too long for it, little-endian, C order.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    /** Generous (numpy stops at 10000 characters) but keeps a corrupt length field from allocating gigabytes. */
    private static final int MAX_HEADER_BYTES = 1 << 20;
    /** The PROTO opcode that starts every pickle of protocol 2 or later. */
    private static final int PICKLE_PROTO = 0x80;

    private Npy() {}

    /** Reads the .npy file at {@code path}; every problem with the file is an InputException naming it. */
    public static NdArray read(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        } catch (NoSuchFileException e) {
            throw inputError(path + ": no such file");
        } catch (IOException e) {
            throw inputError(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Writes {@code array} to {@code path} atomically. */
    public static void write(Path path, NdArray array) {
        AtomicFiles.write(path, out -> write(out, array));
    }

    /** Reads one array from {@code in}; {@code source} names the input in error messages. */
    static NdArray read(InputStream in, String source) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (magic.length > 0 && (magic[0] & 0xFF) == PICKLE_PROTO) {
            throw inputError(source + ": is a pickle, not a .npy array; refusing to unpickle");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= magic.length || magic[i] != MAGIC[i]) {
                throw inputError(source + ": not a .npy file (bad magic)");
            }
        }
        int major = (int) readUnsigned(in, 1, source, "version");
        readUnsigned(in, 1, source, "version");
        if (major < 1 || major > 3) {
            throw inputError(source + ": unsupported .npy format version " + major);
        }
        long headerLength = readUnsigned(in, major == 1 ? 2 : 4, source, "header length");
        if (headerLength > MAX_HEADER_BYTES) {
            throw inputError(source + ": .npy header length " + headerLength + " is implausibly large");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw inputError(source + ": truncated .npy header");
        }
        Charset charset = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        NpyHeader header = NpyHeader.parse(new String(headerBytes, charset), source);

        int itemSize = header.dtype() == DType.STR ? 4 * header.strWidth() : header.dtype().size();
        long bytes;
        try {
            bytes = Math.multiplyExact(NdArray.numel(header.shape()), itemSize);
        } catch (ArithmeticException e) {
            bytes = Long.MAX_VALUE;
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw inputError(source + ": array of " + bytes + " bytes is too large (limit 2 GiB)");
        }
        byte[] data = in.readNBytes((int) bytes);
        if (data.length < bytes) {
            throw inputError(source + ": truncated data: expected " + bytes + " bytes, found " + data.length);
        }
        if (header.order() == ByteOrder.BIG_ENDIAN) {
            // STR swaps per code point, everything else per element
            swapBytes(data, header.dtype().size());
        }
        if (header.fortranOrder()) {
            data = fortranToC(data, header.shape(), itemSize);
        }
        return new NdArray(header.dtype(), header.shape(), ByteBuffer.wrap(data), header.strWidth());
    }

    /** Writes {@code array} as a complete .npy file to {@code out}. */
    static void write(OutputStream out, NdArray array) throws IOException {
        out.write(headerBytes(array));
        WritableByteChannel channel = Channels.newChannel(out);
        ByteBuffer data = array.data();
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }

    /** Magic, version, length and padded header, exactly as numpy's {@code format._wrap_header}. */
    static byte[] headerBytes(NdArray array) {
        byte[] dict = NpyHeader.of(array).format().getBytes(StandardCharsets.ISO_8859_1);
        int lengthBytes = 2;
        int padded = paddedLength(dict.length, lengthBytes);
        if (padded > 0xFFFF) {
            lengthBytes = 4; // version 2.0
            padded = paddedLength(dict.length, lengthBytes);
        }
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + lengthBytes + padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) (lengthBytes == 2 ? 1 : 2)).put((byte) 0);
        if (lengthBytes == 2) {
            b.putShort((short) padded);
        } else {
            b.putInt(padded);
        }
        b.put(dict);
        while (b.remaining() > 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    /** Header length after padding: numpy always adds 1 to 64 bytes (spaces, then '\n'), even when already aligned. */
    private static int paddedLength(int dictLength, int lengthBytes) {
        int withNewline = dictLength + 1;
        int pad = ALIGN - ((MAGIC.length + 2 + lengthBytes + withNewline) % ALIGN);
        return withNewline + pad;
    }

    private static long readUnsigned(InputStream in, int n, String source, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw inputError(source + ": truncated .npy header (" + what + ")");
        }
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    private static void swapBytes(byte[] data, int unit) {
        for (int start = 0; start + unit <= data.length; start += unit) {
            for (int i = 0, j = unit - 1; i < j; i++, j--) {
                byte t = data[start + i];
                data[start + i] = data[start + j];
                data[start + j] = t;
            }
        }
    }

    /** Reorders column-major elements into row-major order by walking the C index and tracking the Fortran offset. */
    private static byte[] fortranToC(byte[] src, long[] shape, int itemSize) {
        int n = shape.length;
        long count = NdArray.numel(shape);
        if (n < 2 || count == 0) {
            return src; // 0-d, 1-d and empty arrays are the same in both orders
        }
        long[] stride = new long[n]; // Fortran strides in elements: the first axis varies fastest
        stride[0] = 1;
        for (int k = 1; k < n; k++) {
            stride[k] = stride[k - 1] * shape[k - 1];
        }
        byte[] out = new byte[src.length];
        long[] index = new long[n];
        long offset = 0;
        for (long p = 0; p < count; p++) {
            System.arraycopy(src, (int) (offset * itemSize), out, (int) (p * itemSize), itemSize);
            for (int k = n - 1; k >= 0; k--) {
                index[k]++;
                offset += stride[k];
                if (index[k] < shape[k]) {
                    break;
                }
                offset -= index[k] * stride[k];
                index[k] = 0;
            }
        }
        return out;
    }
}
