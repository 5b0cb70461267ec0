package dev.expportrait.io;

import static dev.expportrait.io.HandBuilt.bytes;
import static dev.expportrait.io.HandBuilt.npy;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpzTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roundTripsEveryDtype(boolean compressed) throws IOException {
        Map<String, NdArray> arrays = Samples.all();
        Path p = dir.resolve("all.npz");
        Npz.write(p, arrays, compressed);
        try (NpzFile npz = Npz.open(p)) {
            assertThat(npz.keys()).containsExactlyElementsOf(arrays.keySet());
            for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                assertThat(npz.has(e.getKey())).isTrue();
                assertThat(npz.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
        try (ZipFile zip = new ZipFile(p.toFile())) {
            List<String> names = new ArrayList<>();
            zip.stream().forEach(e -> {
                names.add(e.getName());
                assertThat(e.getMethod()).isEqualTo(compressed ? ZipEntry.DEFLATED : ZipEntry.STORED);
            });
            assertThat(names).allMatch(n -> n.endsWith(".npy")).hasSize(arrays.size());
        }
    }

    @Test
    void writesTheSameBytesEveryTime() throws IOException {
        Path a = dir.resolve("a.npz");
        Path b = dir.resolve("b.npz");
        Npz.write(a, Samples.all(), true);
        Npz.write(b, Samples.all(), true);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    /** Like SMPLX_NEUTRAL.npz: numeric arrays next to a pickled object array, some entries stored, some deflated. */
    private Path handBuiltNpz() throws IOException {
        byte[] fortran = npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                bytes(LITTLE_ENDIAN, b -> {
                    for (double v : new double[] {1, 4, 2, 5, 3, 6}) {
                        b.putDouble(v);
                    }
                }));
        byte[] parents = npy(1, "{'descr': '>i4', 'fortran_order': False, 'shape': (3,), }",
                bytes(BIG_ENDIAN, b -> b.putInt(-1).putInt(0).putInt(1)));
        byte[] flags = npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", new byte[] {0, 1});
        byte[] names = npy(1, "{'descr': '<U5', 'fortran_order': False, 'shape': (1,), }",
                bytes(LITTLE_ENDIAN, b -> b.putInt('j').putInt('a').putInt('w').putInt(0).putInt(0)));
        byte[] pickled = npy(1, "{'descr': '|O', 'fortran_order': False, 'shape': (), }",
                new byte[] {(byte) 0x80, 2, '}', 'q', 0, '.'});
        Path p = dir.resolve("hand.npz");
        try (OutputStream out = Files.newOutputStream(p); ZipOutputStream zip = new ZipOutputStream(out)) {
            deflated(zip, "shapedirs.npy", fortran);
            stored(zip, "kintree_table.npy", parents);
            deflated(zip, "joint2num.npy", pickled);
            stored(zip, "flags.npy", flags);
            deflated(zip, "names.npy", names);
        }
        return p;
    }

    private static void deflated(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setMethod(ZipEntry.STORED);
        e.setSize(content.length);
        e.setCompressedSize(content.length);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
    }

    @Test
    void readsGoodArraysLazilyNextToAPickledOne() throws IOException {
        Path p = handBuiltNpz();
        try (NpzFile npz = Npz.open(p)) {
            assertThat(npz.keys()).containsExactly("shapedirs", "kintree_table", "joint2num", "flags", "names");
            assertThat(npz.get("shapedirs").toDoubleArray()).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(npz.get("kintree_table").toIntArray()).containsExactly(-1, 0, 1);
            assertThat(npz.get("flags").toBooleanArray()).containsExactly(false, true);
            assertThat(npz.get("names").toStrings()).containsExactly("jaw");
            assertThatThrownBy(() -> npz.get("joint2num")).isInstanceOf(InputException.class)
                    .hasMessageContaining(p.toString()).hasMessageContaining("joint2num").hasMessageContaining("pickle");
        }
    }

    @Test
    void missingKeyListsTheKeys() throws IOException {
        Path p = handBuiltNpz();
        try (NpzFile npz = Npz.open(p)) {
            assertThat(npz.has("betas")).isFalse();
            assertThatThrownBy(() -> npz.get("betas")).isInstanceOf(InputException.class)
                    .hasMessage(p + ": no array 'betas' (has: shapedirs, kintree_table, joint2num, flags, names)");
        }
    }

    @Test
    void truncatedEntryIsAnInputExceptionNamingTheKey() throws IOException {
        byte[] shortData = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", new byte[8]);
        Path p = dir.resolve("short.npz");
        try (OutputStream out = Files.newOutputStream(p); ZipOutputStream zip = new ZipOutputStream(out)) {
            deflated(zip, "v.npy", shortData);
        }
        try (NpzFile npz = Npz.open(p)) {
            assertThatThrownBy(() -> npz.get("v")).isInstanceOf(InputException.class)
                    .hasMessage(p + "['v']: truncated data: expected 24 bytes, found 8");
        }
    }

    @Test
    void corruptDeflateDataIsAnInputException() throws IOException {
        Path p = dir.resolve("c.npz");
        float[] values = new float[4096];
        Arrays.fill(values, 1.5f);
        Npz.write(p, Map.of("v", NdArray.ofFloats(values)), true);
        byte[] bytes = Files.readAllBytes(p);
        // the local header (30 bytes + "v.npy") precedes the deflated data; scramble the start of the data
        for (int i = 40; i < 60; i++) {
            bytes[i] = (byte) 0xFF;
        }
        Files.write(p, bytes);
        try (NpzFile npz = Npz.open(p)) {
            assertThatThrownBy(() -> npz.get("v")).isInstanceOf(InputException.class).hasMessageStartingWith(p + "['v']: ");
        }
    }

    @Test
    void everyTruncationOfTheZipIsAnInputException() throws IOException {
        Path full = dir.resolve("full.npz");
        Npz.write(full, Map.of("a", NdArray.ofInts(new int[] {1, 2, 3})), false);
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.npz");
        for (int n = 0; n < bytes.length; n++) {
            Files.write(cut, Arrays.copyOf(bytes, n));
            assertThatThrownBy(() -> Npz.open(cut).close()).as("cut at %d", n).isInstanceOf(InputException.class)
                    .hasMessageStartingWith(cut + ": not a valid .npz (zip) file: ");
        }
    }

    @Test
    void randomBytesAndMissingFilesAreInputExceptions() throws IOException {
        Path p = dir.resolve("random.npz");
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[random.nextInt(500)];
            random.nextBytes(junk);
            Files.write(p, junk);
            assertThatThrownBy(() -> Npz.open(p).close()).isInstanceOf(InputException.class)
                    .hasMessageStartingWith(p + ": not a valid .npz (zip) file");
        }
        Path missing = dir.resolve("SMPLX_NEUTRAL.npz");
        assertThatThrownBy(() -> Npz.open(missing)).isInstanceOf(InputException.class).hasMessage(missing + ": no such file");
    }

    @Test
    void emptyArchiveHasNoKeys() throws IOException {
        Path p = dir.resolve("empty.npz");
        Npz.write(p, Collections.emptyMap(), true);
        try (NpzFile npz = Npz.open(p)) {
            assertThat(npz.keys()).isEmpty();
        }
    }
}
