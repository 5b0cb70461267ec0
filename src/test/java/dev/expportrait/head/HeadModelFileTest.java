package dev.expportrait.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expportrait.io.InputException;
import dev.expportrait.io.NdArray;
import dev.expportrait.io.Npy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadModelFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryArrayAndName() {
        HeadModel m = TinyModels.random(3, 10, 6, 3, 2, true);
        Path p = dir.resolve("m.npz");
        HeadModelFile.write(p, m);
        HeadModel back = HeadModelFile.read(p);
        assertThat(back.name()).isEqualTo("tiny");
        assertThat(back.vTemplate()).containsExactly(m.vTemplate());
        assertThat(back.faces()).containsExactly(m.faces());
        assertThat(back.shapedirs()).containsExactly(m.shapedirs());
        assertThat(back.posedirs()).containsExactly(m.posedirs());
        assertThat(back.jRegressor()).containsExactly(m.jRegressor());
        assertThat(back.weights()).containsExactly(m.weights());
        assertThat(back.parents()).containsExactly(m.parents());
        assertThat(back.lmkFaces()).containsExactly(m.lmkFaces());
        assertThat(back.lmkBary()).containsExactly(m.lmkBary());
        assertThat(back.numShape()).isEqualTo(3);
        assertThat(back.numExpression()).isEqualTo(2);
        assertThat(back.jointNames()).isEqualTo(m.jointNames());
        assertThat(back.expressionNames()).isEqualTo(m.expressionNames());
    }

    /** A file laid out like SMPLX_NEUTRAL.npz: float64 arrays, uint32 faces, the root parent as 2^32-1, a pickled extra. */
    @Test
    void readsASmplxStyleFileWithoutUnpicklingItsExtras() throws IOException {
        int v = 8, j = 4, k = 20;
        HeadModel src = TinyModels.random(4, v, j, 10, 10, true);
        Map<String, NdArray> a = new LinkedHashMap<>();
        a.put("v_template", NdArray.ofDoubles(toDouble(src.vTemplate()), v, 3));
        long[] f = new long[src.faces().length];
        for (int i = 0; i < f.length; i++) f[i] = src.faces()[i];
        a.put("f", uint32(f, src.numFaces(), 3));
        a.put("shapedirs", NdArray.ofDoubles(toDouble(src.shapedirs()), v, 3, k));
        a.put("posedirs", NdArray.ofDoubles(toDouble(src.posedirs()), v, 3, 9 * (j - 1)));
        a.put("J_regressor", NdArray.ofDoubles(toDouble(src.jRegressor()), j, v));
        a.put("weights", NdArray.ofDoubles(toDouble(src.weights()), v, j));
        long[] kin = new long[2 * j];
        for (int i = 0; i < j; i++) {
            kin[i] = i == 0 ? 4294967295L : src.parents()[i];
            kin[j + i] = i;
        }
        a.put("kintree_table", uint32(kin, 2, j));
        Path p = dir.resolve("SMPLX_LIKE.npz");
        writeZipWithPickledExtra(p, a);

        HeadModel m = HeadModelFile.read(p);
        assertThat(m.numShape()).isEqualTo(10);
        assertThat(m.numExpression()).isEqualTo(10);
        assertThat(m.parents()).containsExactly(src.parents());
        assertThat(m.faces()).containsExactly(src.faces());
        assertThat(m.vTemplate()).containsExactly(src.vTemplate());
        assertThat(m.numLandmarks()).isZero();
        assertThat(m.jointNames()).containsExactly("joint000", "joint001", "joint002", "joint003");
        assertThat(m.name()).isEqualTo("SMPLX_LIKE");
    }

    @Test
    void refusesMissingKeysWrongShapesNaNsAndForeignFormatsNamingTheProblem() throws IOException {
        HeadModel m = TinyModels.random(5, 10, 6, 3, 2, true);
        Path good = dir.resolve("good.npz");
        HeadModelFile.write(good, m);

        Map<String, NdArray> noWeights = arrays(m);
        noWeights.remove("weights");
        assertRefused(noWeights, "no array 'weights'");

        Map<String, NdArray> badShape = arrays(m);
        badShape.put("J_regressor", NdArray.ofFloats(new float[6 * 9], 6, 9));
        assertRefused(badShape, "array 'J_regressor' has shape [6, 9], expected [6, 10]");

        Map<String, NdArray> nan = arrays(m);
        float[] vt = m.vTemplate().clone();
        vt[7] = Float.NaN;
        nan.put("v_template", NdArray.ofFloats(vt, 10, 3));
        assertRefused(nan, "array 'v_template' has a non-finite value (NaN) at flat index 7");

        Map<String, NdArray> badFace = arrays(m);
        int[] faces = m.faces().clone();
        faces[4] = 99;
        badFace.put("f", NdArray.ofInts(faces, m.numFaces(), 3));
        assertRefused(badFace, "array 'f' has index 99");

        Map<String, NdArray> future = arrays(m);
        future.put("expportrait_format", NdArray.ofStrings(List.of(HeadModelFile.FORMAT, "99")));
        assertRefused(future, "unsupported head-model format");

        Path truncated = dir.resolve("truncated.npz");
        byte[] bytes = Files.readAllBytes(good);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> HeadModelFile.read(truncated)).isInstanceOf(InputException.class).hasMessageContaining(truncated.toString());

        Path text = dir.resolve("notes.npz");
        Files.writeString(text, "not a model");
        assertThatThrownBy(() -> HeadModelFile.read(text)).isInstanceOf(InputException.class).hasMessageContaining(text.toString());
    }

    private void assertRefused(Map<String, NdArray> arrays, String message) {
        Path p = dir.resolve("bad.npz");
        dev.expportrait.io.Npz.write(p, arrays, false);
        assertThatThrownBy(() -> HeadModelFile.read(p)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(p.toString()).hasMessageContaining(message);
    }

    /** The arrays HeadModelFile.write produces, to break one at a time. */
    private Map<String, NdArray> arrays(HeadModel m) {
        Path p = dir.resolve("tmp.npz");
        HeadModelFile.write(p, m);
        Map<String, NdArray> out = new LinkedHashMap<>();
        try (var npz = dev.expportrait.io.Npz.open(p)) {
            for (String key : npz.keys()) out.put(key, npz.get(key));
        }
        return out;
    }

    private void writeZipWithPickledExtra(Path p, Map<String, NdArray> arrays) throws IOException {
        try (OutputStream os = Files.newOutputStream(p); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                Path tmp = dir.resolve(e.getKey() + ".npy");
                Npy.write(tmp, e.getValue());
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(Files.readAllBytes(tmp));
                zip.closeEntry();
            }
            // SMPL-X's joint2num: an object array that only pickle could read.
            String header = "{'descr': '|O', 'fortran_order': False, 'shape': (), }";
            header = header + " ".repeat(63 - (10 + header.length()) % 64) + "\n";
            byte[] h = header.getBytes(StandardCharsets.US_ASCII);
            zip.putNextEntry(new ZipEntry("joint2num.npy"));
            zip.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, 0});
            zip.write(h);
            zip.write(new byte[] {(byte) 0x80, 2, '}', 'q', 0, '.'});
            zip.closeEntry();
        }
    }

    private static NdArray uint32(long[] values, long... shape) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long x : values) b.putInt((int) x);
        b.flip();
        return new NdArray(dev.expportrait.io.DType.U32, shape, b);
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }
}
