package dev.expportrait.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Atomic writes (DESIGN.md): the bytes go to a temporary file in the target's folder, which is renamed
 * over the target only when writing succeeded, so a crash never leaves a half-written file behind a final name.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes {@code target} through {@code body}; on any failure the target is untouched and the temporary file removed. */
    public static void write(Path target, IoConsumer<OutputStream> body) {
        writeVia(target, tmp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.accept(out);
            }
        });
    }

    /**
     * For writers that need a file name rather than a stream (FFmpeg seeks back to move the MP4 index to
     * the front): {@code body} writes the temporary path given to it, which then replaces {@code target}.
     */
    public static void writeVia(Path target, IoConsumer<Path> body) {
        Path abs = target.toAbsolutePath();
        String name = abs.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String suffix = dot >= 0 ? name.substring(dot) : ".tmp"; // keep the extension: tools pick formats by it
        Path tmp = null;
        try {
            Files.createDirectories(abs.getParent());
            tmp = Files.createTempFile(abs.getParent(), "." + name + ".", suffix);
            body.accept(tmp);
            // createTempFile makes the file private (rw-------); give it the usual rw-r--r--.
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** Writes all of {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /** A consumer that may throw IOException. */
    @FunctionalInterface
    public interface IoConsumer<T> {
        void accept(T value) throws IOException;
    }

    /**
     * Moves the complete folder {@code staged} to {@code target}, replacing an existing folder of that name
     * (removed first), so readers see the old folder or the new one, never a half-written one.
     */
    public static void replaceFolder(Path staged, Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs)) deleteRecursively(abs);
        try {
            Files.move(staged, abs, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged, abs);
        }
    }

    /** Deletes {@code dir} and everything under it (best effort: files that cannot be removed are left). */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort
        }
    }
}
