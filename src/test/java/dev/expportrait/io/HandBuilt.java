package dev.expportrait.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/** File bytes assembled by hand from the format specs, independent of the code under test. */
final class HandBuilt {
    private HandBuilt() {}

    /** A .npy file: magic, version {@code major}.0, header length, {@code header} + '\n', data. */
    static byte[] npy(int major, String header, byte[] data) {
        byte[] h = (header + "\n").getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(major);
        out.write(0);
        out.write(h.length & 0xFF);
        out.write((h.length >>> 8) & 0xFF);
        if (major > 1) {
            out.write((h.length >>> 16) & 0xFF);
            out.write(h.length >>> 24);
        }
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** Bytes written by {@code fill} in byte order {@code order}. */
    static byte[] bytes(ByteOrder order, Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(1 << 12).order(order);
        fill.accept(b);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A safetensors file: 8-byte little-endian length of {@code json}, the JSON, then {@code data}. */
    static byte[] safetensors(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }
}
