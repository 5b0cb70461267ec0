package dev.expportrait.io;

import static dev.expportrait.io.Messages.inputError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * An open safetensors file whose header has been read and validated; tensors are read from disk only when
 * asked for. Keys are in header order. Close it after use.
 */
public final class SafeTensorsFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final long bufferStart;
    private final Map<String, String> metadata;
    private final Map<String, Entry> entries;

    /** Where one tensor lies: byte range [begin, end) relative to the start of the data buffer. */
    record Entry(DType dtype, long[] shape, long begin, long end) {}

    SafeTensorsFile(Path path, FileChannel channel, long bufferStart, Map<String, String> metadata, Map<String, Entry> entries) {
        this.path = path;
        this.channel = channel;
        this.bufferStart = bufferStart;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.entries = entries;
    }

    /** The file's path. */
    public Path path() {
        return path;
    }

    /** The {@code __metadata__} string map; empty when the file has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor names, in header order. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** Whether the file has a tensor named {@code name}. */
    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /** Reads the tensor {@code name}; throws InputException naming the path if it is missing or the file was cut short. */
    public NdArray get(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw inputError(path + ": no tensor '" + name + "' (has: " + String.join(", ", entries.keySet()) + ")");
        }
        ByteBuffer data = ByteBuffer.allocate((int) (e.end() - e.begin()));
        try {
            while (data.hasRemaining()) {
                if (channel.read(data, bufferStart + e.begin() + data.position()) < 0) {
                    throw inputError(path + ": tensor '" + name + "': file is truncated");
                }
            }
        } catch (IOException ex) {
            throw inputError(path + ": tensor '" + name + "': cannot read: " + ex.getMessage(), ex);
        }
        return new NdArray(e.dtype(), e.shape(), data.flip());
    }

    /** Checks metadata {@code format} and {@code version}; an InputException naming the file and both when they differ. */
    public void requireFormat(String format, String version) {
        if (!format.equals(metadata.get("format")) || !version.equals(metadata.get("version"))) {
            throw inputError(path + ": format " + metadata.get("format") + " version " + metadata.get("version") + ", expected " + format
                    + " version " + version);
        }
    }

    /** Metadata {@code key}; an InputException naming the file when it is missing. */
    public String metadataText(String key) {
        String v = metadata.get(key);
        if (v == null) throw inputError(path + ": metadata has no " + key);
        return v;
    }

    /** Metadata {@code key} as an integer; an InputException naming the file when it is missing or not one. */
    public int metadataInt(String key) {
        String v = metadataText(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw inputError(path + ": metadata " + key + " is " + v + ", not an integer");
        }
    }

    /**
     * The tensor {@code name} as float32 values, which must have {@code shape} and be finite (weights);
     * otherwise an InputException naming the file and the tensor.
     */
    public float[] finiteFloats(String name, long[] shape) {
        NdArray a = get(name);
        if (!java.util.Arrays.equals(a.shape(), shape)) {
            throw inputError(path + ": " + name + " is " + java.util.Arrays.toString(a.shape()) + ", expected " + java.util.Arrays.toString(shape));
        }
        float[] v = a.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) throw inputError(path + ": " + name + " holds " + v[i] + " at element " + i);
        }
        return v;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + path, e);
        }
    }
}
