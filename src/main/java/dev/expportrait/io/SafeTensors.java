package dev.expportrait.io;

import static dev.expportrait.io.Messages.inputError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON
 * ({@code {"__metadata__": {string: string}, "<name>": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...}}),
 * then the data buffer; offsets are relative to the buffer start and tensors are little-endian, C order.
 *
 * <p>We write tensors sorted by element size (largest first) and then by name, as the reference
 * implementation does, so every tensor is aligned to its element size; the header is padded with spaces to
 * a multiple of 8 bytes. Reading validates the whole header before any tensor is read.
 */
public final class SafeTensors {
    private static final String METADATA = "__metadata__";
    /** The reference implementation's limit; keeps a corrupt length field from allocating gigabytes. */
    private static final long MAX_HEADER_BYTES = 100_000_000;

    private SafeTensors() {}

    /**
     * Writes {@code tensors} and {@code metadata} (omitted when empty) to {@code path} atomically. STR arrays
     * and a tensor named {@code __metadata__} are programming errors (IllegalArgumentException).
     */
    public static void write(Path path, Map<String, NdArray> tensors, Map<String, String> metadata) {
        List<Map.Entry<String, NdArray>> order = new ArrayList<>(tensors.entrySet());
        order.sort(Comparator.comparingInt((Map.Entry<String, NdArray> e) -> -e.getValue().dtype().size())
                .thenComparing(Map.Entry::getKey));
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put(METADATA, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, NdArray> e : order) {
            NdArray a = e.getValue();
            if (e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("a tensor cannot be named " + METADATA);
            }
            String dtype = a.dtype().safeTensorsName().orElseThrow(() -> new IllegalArgumentException(
                    "safetensors cannot store tensor '" + e.getKey() + "' of dtype " + a.npyDescr()));
            long end = offset + a.data().remaining();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", dtype);
            info.put("shape", Arrays.stream(a.shape()).boxed().toList());
            info.put("data_offsets", List.of(offset, end));
            header.put(e.getKey(), info);
            offset = end;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(json);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        AtomicFiles.write(path, out -> {
            out.write(prefix.array());
            WritableByteChannel channel = Channels.newChannel(out);
            for (Map.Entry<String, NdArray> e : order) {
                ByteBuffer data = e.getValue().data();
                while (data.hasRemaining()) {
                    channel.write(data);
                }
            }
        });
    }

    /**
     * Opens {@code path} and validates its header: length within the file, valid UTF-8 JSON, known dtypes,
     * offsets inside the buffer, not overlapping, and spanning exactly the bytes the shape needs. Any problem
     * is an InputException naming the path.
     */
    public static SafeTensorsFile read(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw inputError(path + ": no such file");
        } catch (IOException e) {
            throw inputError(path + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return open(path, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw inputError(path + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static SafeTensorsFile open(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw inputError(path + ": too short for a safetensors file (" + size + " bytes)");
        }
        long headerLength = readFully(channel, 0, 8, path).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 0 || headerLength > size - 8) {
            throw inputError(path + ": safetensors header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the file size " + size);
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw inputError(path + ": safetensors header length " + headerLength + " is implausibly large");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(readFully(channel, 8, (int) headerLength, path)).toString();
        } catch (CharacterCodingException e) {
            throw inputError(path + ": safetensors header is not valid UTF-8");
        }
        Object json;
        try {
            json = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw inputError(path + ": safetensors header is not valid JSON: " + e.getMessage());
        }
        if (!(json instanceof Map<?, ?> header)) {
            throw inputError(path + ": safetensors header is not a JSON object");
        }
        long bufferStart = 8 + headerLength;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, SafeTensorsFile.Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey(); // Json gives String keys
            if (name.equals(METADATA)) {
                metadata = metadata(e.getValue(), path);
            } else {
                entries.put(name, entry(name, e.getValue(), size - bufferStart, path));
            }
        }
        checkNoOverlap(entries, path);
        return new SafeTensorsFile(path, channel, bufferStart, metadata, entries);
    }

    private static Map<String, String> metadata(Object value, Path path) {
        if (!(value instanceof Map<?, ?> map)) {
            throw inputError(path + ": safetensors " + METADATA + " is not a JSON object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String v)) {
                throw inputError(path + ": safetensors " + METADATA + " value of '" + e.getKey() + "' is not a string");
            }
            out.put((String) e.getKey(), v);
        }
        return out;
    }

    private static SafeTensorsFile.Entry entry(String name, Object value, long bufferSize, Path path) {
        String where = path + ": tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> info)) {
            throw inputError(where + ": header entry is not a JSON object");
        }
        if (!(info.get("dtype") instanceof String dtypeName)) {
            throw inputError(where + ": missing dtype");
        }
        DType dtype = DType.ofSafeTensors(dtypeName)
                .orElseThrow(() -> inputError(where + ": unsupported dtype '" + dtypeName + "'"));
        long[] shape = longs(info.get("shape"), -1, where, "shape");
        long[] offsets = longs(info.get("data_offsets"), 2, where, "data_offsets");
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end || end > bufferSize) {
            throw inputError(where + ": data_offsets [" + begin + ", " + end + "] out of range (buffer has "
                    + bufferSize + " bytes)");
        }
        long needed;
        try {
            needed = Math.multiplyExact(NdArray.numel(shape), dtype.size());
        } catch (ArithmeticException e) {
            needed = -1;
        }
        if (needed != end - begin) {
            throw inputError(where + ": shape " + Arrays.toString(shape) + " of " + dtypeName + " needs "
                    + (needed < 0 ? "too many" : Long.toString(needed)) + " bytes but data_offsets span " + (end - begin));
        }
        if (needed > Integer.MAX_VALUE - 8) {
            throw inputError(where + ": " + needed + " bytes is too large (limit 2 GiB per tensor)");
        }
        return new SafeTensorsFile.Entry(dtype, shape, begin, end);
    }

    /** The non-negative integers of a JSON array; {@code length} -1 allows any length. */
    private static long[] longs(Object value, int length, String where, String what) {
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
            throw inputError(where + ": " + what + " is missing or not a list"
                    + (length >= 0 ? " of " + length + " integers" : " of integers"));
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long n) || n < 0) {
                throw inputError(where + ": " + what + " " + list + " holds a value that is not a non-negative integer");
            }
            out[i] = n;
        }
        return out;
    }

    private static void checkNoOverlap(Map<String, SafeTensorsFile.Entry> entries, Path path) {
        List<Map.Entry<String, SafeTensorsFile.Entry>> byBegin = new ArrayList<>(entries.entrySet());
        byBegin.sort(Comparator.comparingLong((Map.Entry<String, SafeTensorsFile.Entry> e) -> e.getValue().begin())
                .thenComparingLong(e -> e.getValue().end()));
        for (int i = 1; i < byBegin.size(); i++) {
            var previous = byBegin.get(i - 1);
            var current = byBegin.get(i);
            if (current.getValue().begin() < previous.getValue().end()) {
                throw inputError(path + ": tensors '" + previous.getKey() + "' and '" + current.getKey()
                        + "' overlap in the data buffer");
            }
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length, Path path) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw inputError(path + ": truncated safetensors file");
            }
        }
        return b.flip();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the InputException being thrown is the problem worth reporting
        }
    }
}
