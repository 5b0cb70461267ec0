package dev.expportrait.io;

import static dev.expportrait.io.Messages.inputError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * numpy's .npz format: a zip archive with one .npy entry per array, named {@code <key>.npy}, either stored
 * ({@code np.savez}) or deflated ({@code np.savez_compressed}).
 */
public final class Npz {
    /** A fixed entry time, so the same arrays always give the same bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {}

    /**
     * Opens the archive at {@code path}, reading only its directory; arrays are parsed by {@link NpzFile#get}.
     * Throws InputException when the file is missing or not a valid zip file.
     */
    public static NpzFile open(Path path) {
        if (!Files.exists(path)) {
            throw inputError(path + ": no such file");
        }
        try {
            return new NpzFile(path, new ZipFile(path.toFile()));
        } catch (NoSuchFileException e) {
            throw inputError(path + ": no such file");
        } catch (ZipException e) {
            throw inputError(path + ": not a valid .npz (zip) file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw inputError(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Writes {@code arrays} to {@code path} atomically, one entry per array in the map's order, deflated if {@code compressed}. */
    public static void write(Path path, Map<String, NdArray> arrays, boolean compressed) {
        AtomicFiles.write(path, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                entry.setTimeLocal(ENTRY_TIME);
                if (compressed) {
                    entry.setMethod(ZipEntry.DEFLATED);
                    zip.putNextEntry(entry);
                    Npy.write(zip, e.getValue());
                } else {
                    // a stored entry needs its size and CRC before the data
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    Npy.write(bytes, e.getValue());
                    byte[] npy = bytes.toByteArray();
                    CRC32 crc = new CRC32();
                    crc.update(npy);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(npy.length);
                    entry.setCompressedSize(npy.length);
                    entry.setCrc(crc.getValue());
                    zip.putNextEntry(entry);
                    zip.write(npy);
                }
                zip.closeEntry();
            }
            zip.finish(); // not close: AtomicFiles owns the stream
        });
    }
}
