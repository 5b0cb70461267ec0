package dev.expportrait.io;

import static dev.expportrait.io.HandBuilt.bytes;
import static dev.expportrait.io.HandBuilt.npy;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    private NdArray readBytes(byte[] file) throws IOException {
        Path p = dir.resolve("hand.npy");
        Files.write(p, file);
        return Npy.read(p);
    }

    @Test
    void roundTripsEveryDtype() {
        for (Map.Entry<String, NdArray> e : Samples.all().entrySet()) {
            Path p = dir.resolve(e.getKey() + ".npy");
            Npy.write(p, e.getValue());
            assertThat(Npy.read(p)).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void headerMatchesNumpyByteForByte() throws IOException {
        // np.save of a (2, 3) float32 array: the dict, 20 spaces of growth room (21 - len("2")),
        // then spaces and '\n' so that magic + version + length + header is 128 bytes
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        byte[] expected = npy(1, dict + " ".repeat(117 - dict.length()), new byte[0]);
        assertThat(expected).hasSize(128);
        assertThat(Npy.headerBytes(NdArray.ofFloats(new float[6], 2, 3))).isEqualTo(expected);

        String dict1d = "{'descr': '<i8', 'fortran_order': False, 'shape': (7,), }";
        assertThat(Npy.headerBytes(NdArray.ofLongs(new long[7])))
                .isEqualTo(npy(1, dict1d + " ".repeat(117 - dict1d.length()), new byte[0]));

        Path p = dir.resolve("a.npy");
        Npy.write(p, NdArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        byte[] data = bytes(LITTLE_ENDIAN, b -> b.putFloat(1).putFloat(2).putFloat(3).putFloat(4).putFloat(5).putFloat(6));
        assertThat(Files.readAllBytes(p)).isEqualTo(npy(1, dict + " ".repeat(117 - dict.length()), data));
    }

    @Test
    void headersAreAlwaysPaddedToSixtyFourBytes() {
        for (int n = 0; n < 200; n += 7) {
            byte[] header = Npy.headerBytes(NdArray.ofStrings(java.util.Collections.nCopies(n, "x")));
            assertThat(header.length % 64).isZero();
            assertThat(header[header.length - 1]).isEqualTo((byte) '\n');
        }
    }

    @Test
    void readsFortranOrderFloat64() throws IOException {
        // [[1, 2, 3], [4, 5, 6]] stored column by column
        byte[] data = bytes(LITTLE_ENDIAN, b -> {
            for (double v : new double[] {1, 4, 2, 5, 3, 6}) {
                b.putDouble(v);
            }
        });
        NdArray a = readBytes(npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", data));
        assertThat(a.dtype()).isEqualTo(DType.F64);
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a.toDoubleArray()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void readsFortranOrderThreeDimensional() throws IOException {
        // element (i, j, k) = 100i + 10j + k, stored with i varying fastest
        byte[] data = bytes(LITTLE_ENDIAN, b -> {
            for (int k = 0; k < 4; k++) {
                for (int j = 0; j < 3; j++) {
                    for (int i = 0; i < 2; i++) {
                        b.putShort((short) (100 * i + 10 * j + k));
                    }
                }
            }
        });
        NdArray a = readBytes(npy(1, "{'descr': '<i2', 'fortran_order': True, 'shape': (2, 3, 4), }", data));
        int[] expected = new int[24];
        for (int i = 0, n = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    expected[n++] = 100 * i + 10 * j + k;
                }
            }
        }
        assertThat(a.toIntArray()).containsExactly(expected);
    }

    @Test
    void readsBigEndianInt32() throws IOException {
        byte[] data = bytes(BIG_ENDIAN, b -> b.putInt(1).putInt(-2).putInt(0x01020304));
        NdArray a = readBytes(npy(1, "{'descr': '>i4', 'fortran_order': False, 'shape': (3,), }", data));
        assertThat(a.dtype()).isEqualTo(DType.I32);
        assertThat(a.toIntArray()).containsExactly(1, -2, 0x01020304);
        assertThat(a.data().order(LITTLE_ENDIAN).getInt(8)).isEqualTo(0x01020304);
    }

    @Test
    void readsBigEndianStrings() throws IOException {
        byte[] data = bytes(BIG_ENDIAN, b -> b.putInt('h').putInt('i'));
        NdArray a = readBytes(npy(1, "{'descr': '>U2', 'fortran_order': False, 'shape': (1,), }", data));
        assertThat(a.toStrings()).containsExactly("hi");
    }

    @Test
    void readsBool() throws IOException {
        NdArray a = readBytes(npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", new byte[] {1, 0, 1}));
        assertThat(a.dtype()).isEqualTo(DType.BOOL);
        assertThat(a.toBooleanArray()).containsExactly(true, false, true);
    }

    @Test
    void readsUnicodeStrings() throws IOException {
        byte[] data = bytes(LITTLE_ENDIAN, b -> {
            for (String s : new String[] {"ab", "héllo"}) {
                int[] cps = s.codePoints().toArray();
                for (int i = 0; i < 5; i++) {
                    b.putInt(i < cps.length ? cps[i] : 0);
                }
            }
        });
        NdArray a = readBytes(npy(1, "{'descr': '<U5', 'fortran_order': False, 'shape': (2,), }", data));
        assertThat(a.dtype()).isEqualTo(DType.STR);
        assertThat(a.strWidth()).isEqualTo(5);
        assertThat(a.toStrings()).containsExactly("ab", "héllo");
    }

    @Test
    void readsScalar() throws IOException {
        NdArray a = readBytes(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
                bytes(LITTLE_ENDIAN, b -> b.putDouble(2.5))));
        assertThat(a.ndim()).isZero();
        assertThat(a.numel()).isEqualTo(1);
        assertThat(a.toDoubleArray()).containsExactly(2.5);
    }

    @Test
    void readsEmptyArray() throws IOException {
        NdArray a = readBytes(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", new byte[0]));
        assertThat(a.shape()).containsExactly(0, 3);
        assertThat(a.numel()).isZero();
        assertThat(a.toFloatArray()).isEmpty();
    }

    @Test
    void readsVersion2And3HeadersAndPython2Longs() throws IOException {
        byte[] data = bytes(LITTLE_ENDIAN, b -> b.put((byte) 7).put((byte) 9));
        String header = "{\"descr\": \"|u1\", \"fortran_order\": False, \"shape\": (2L,)}";
        assertThat(readBytes(npy(2, header, data)).toIntArray()).containsExactly(7, 9);
        assertThat(readBytes(npy(3, header, data)).toIntArray()).containsExactly(7, 9);
    }

    @Test
    void refusesObjectArrays() throws IOException {
        byte[] file = npy(1, "{'descr': '|O', 'fortran_order': False, 'shape': (), }", new byte[] {(byte) 0x80, 4, 'x'});
        Path p = dir.resolve("obj.npy");
        Files.write(p, file);
        assertThatThrownBy(() -> Npy.read(p)).isInstanceOf(InputException.class)
                .hasMessage(p + ": array is a pickled object array (dtype |O); refusing to unpickle");
        byte[] structured = npy(1, "{'descr': [('a', '<f4'), ('b', '|O')], 'fortran_order': False, 'shape': (1,), }", new byte[12]);
        assertThatThrownBy(() -> readBytes(structured)).isInstanceOf(InputException.class).hasMessageContaining("pickle");
        byte[] pickle = {(byte) 0x80, 4, (byte) 0x95, 0, 0, 0, 0};
        assertThatThrownBy(() -> readBytes(pickle)).isInstanceOf(InputException.class).hasMessageContaining("pickle");
    }

    @Test
    void rejectsBadHeaders() {
        Map<String, String> cases = Map.of(
                "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", "unsupported dtype '<c8'",
                "{'descr': '|S5', 'fortran_order': False, 'shape': (2,), }", "unsupported dtype '|S5'",
                "{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (2,), }", "unsupported dtype",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", "not a valid dict",
                "['descr', '<f4']", "not a dict",
                "{'descr': '<f4', 'shape': (2,), }", "keys",
                "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", "fortran_order",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", "shape",
                "{'descr': '<f4', 'fortran_order': False, 'shape': 2, }", "shape",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\u0000junk", "not a valid dict");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            byte[] file = npy(1, c.getKey(), new byte[64]);
            Throwable t = catchThrowable(() -> readBytes(file));
            assertThat(t).as(c.getKey()).isInstanceOf(InputException.class).hasMessageContaining(c.getValue())
                    .hasMessageContaining(dir.resolve("hand.npy").toString());
            assertThat(t.getMessage()).doesNotContain("\n").doesNotContain("\u0000");
        }
    }

    @Test
    void rejectsBadMagicAndVersion() {
        assertThatThrownBy(() -> readBytes("not numpy at all".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(InputException.class).hasMessageContaining("bad magic");
        byte[] v9 = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", new byte[4]);
        v9[6] = 9;
        assertThatThrownBy(() -> readBytes(v9)).isInstanceOf(InputException.class).hasMessageContaining("version 9");
    }

    @Test
    void everyTruncationIsAnInputExceptionNamingTheFile() throws IOException {
        Path full = dir.resolve("full.npy");
        Npy.write(full, NdArray.ofDoubles(new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.npy");
        for (int n = 0; n < bytes.length; n++) {
            Files.write(cut, Arrays.copyOf(bytes, n));
            assertThatThrownBy(() -> Npy.read(cut)).as("cut at %d", n)
                    .isInstanceOf(InputException.class).hasMessageStartingWith(cut + ": ");
        }
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 1));
        assertThatThrownBy(() -> Npy.read(cut)).hasMessageContaining("truncated data: expected 48 bytes, found 47");
    }

    @Test
    void randomBytesAreAnInputException() throws IOException {
        Random random = new Random(42);
        Path p = dir.resolve("random.npy");
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[random.nextInt(300)];
            random.nextBytes(junk);
            if (i % 2 == 0 && junk.length > 10) {
                // keep a valid magic half the time so the header parser sees random input too
                System.arraycopy(npy(1, "", new byte[0]), 0, junk, 0, 8);
            }
            Files.write(p, junk);
            assertThatThrownBy(() -> Npy.read(p)).isInstanceOf(InputException.class).hasMessageStartingWith(p + ": ");
        }
    }

    @Test
    void missingFileIsAnInputException() {
        Path p = dir.resolve("nope.npy");
        assertThatThrownBy(() -> Npy.read(p)).isInstanceOf(InputException.class).hasMessage(p + ": no such file");
    }
}
