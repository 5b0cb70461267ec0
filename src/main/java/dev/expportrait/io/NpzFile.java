package dev.expportrait.io;

import static dev.expportrait.io.Messages.inputError;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * An open .npz archive whose arrays are parsed only when asked for, so an archive that also holds pickled
 * object arrays (SMPL-X's {@code joint2num}, {@code part2num}) opens fine and only {@code get} of such an
 * array fails. Keys are the entry names without the {@code .npy} suffix, in archive order. Close it after use.
 */
public final class NpzFile implements AutoCloseable {
    private static final String SUFFIX = ".npy";

    private final Path path;
    private final ZipFile zip;
    private final Map<String, ZipEntry> entries = new LinkedHashMap<>();

    NpzFile(Path path, ZipFile zip) {
        this.path = path;
        this.zip = zip;
        zip.stream().filter(e -> !e.isDirectory()).forEach(e -> {
            String name = e.getName();
            entries.putIfAbsent(name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name, e);
        });
    }

    /** The archive's path. */
    public Path path() {
        return path;
    }

    /** The array names, in archive order. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** Whether the archive has an array named {@code key}. */
    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /**
     * Reads and parses the array {@code key}. Throws InputException naming the path and key when the key is
     * missing, the entry is corrupt or not a valid .npy, or the array is a pickled object array.
     */
    public NdArray get(String key) {
        ZipEntry entry = entries.get(key);
        if (entry == null) {
            throw inputError(path + ": no array '" + key + "' (has: " + String.join(", ", entries.keySet()) + ")");
        }
        String source = path + "['" + key + "']";
        try (InputStream in = zip.getInputStream(entry)) {
            return Npy.read(in, source);
        } catch (IOException e) {
            throw inputError(source + ": corrupt zip entry: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + path, e);
        }
    }
}
