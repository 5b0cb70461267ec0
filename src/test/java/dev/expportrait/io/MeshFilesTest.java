package dev.expportrait.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeshFilesTest {
    @TempDir
    Path dir;

    /** A unit cube from (-1,-2,-3) to (1,2,3): 8 vertices, 12 outward faces. */
    static final float[] CUBE_V = {-1, -2, -3, 1, -2, -3, 1, 2, -3, -1, 2, -3, -1, -2, 3, 1, -2, 3, 1, 2, 3, -1, 2, 3};
    static final int[] CUBE_F = {0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 2, 3, 7, 2, 7, 6, 1, 2, 6, 1, 6, 5, 0, 4, 7, 0, 7, 3};

    static TriangleMesh randomMesh(Random r, boolean extras) {
        int v = 3 + r.nextInt(40);
        int f = 1 + r.nextInt(60);
        float[] p = new float[v * 3], n = new float[v * 3], uv = new float[v * 2], c = new float[v * 3];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) r.nextGaussian();
            n[i] = (float) r.nextGaussian();
            c[i] = r.nextFloat();
        }
        for (int i = 0; i < uv.length; i++) uv[i] = r.nextFloat();
        int[] faces = new int[f * 3];
        for (int i = 0; i < faces.length; i++) faces[i] = r.nextInt(v);
        return new TriangleMesh(p, faces, extras ? n : null, extras ? uv : null, extras ? c : null);
    }

    @Test
    void glbContainerAndAccessorsAreStructurallyValid() throws IOException {
        float[] delta = new float[24];
        delta[3 * 6 + 1] = 0.5f;
        Path p = dir.resolve("cube.glb");
        GlbWriter.write(p, new TriangleMesh(CUBE_V, CUBE_F, null, null, null),
                List.of(new MorphTarget("stretch", delta), new MorphTarget("none", new float[24])), Map.of("model", "cube"));
        byte[] bytes = Files.readAllBytes(p);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(0x46546C67);
        assertThat(b.getInt(4)).isEqualTo(2);
        assertThat(b.getInt(8)).isEqualTo(bytes.length);
        int jsonLen = b.getInt(12);
        assertThat(b.getInt(16)).isEqualTo(0x4E4F534A);
        assertThat(jsonLen % 4).isZero();
        int binLen = b.getInt(20 + jsonLen);
        assertThat(b.getInt(24 + jsonLen)).isEqualTo(0x004E4942);
        assertThat(binLen % 4).isZero();
        assertThat(28 + jsonLen + binLen).isEqualTo(bytes.length);
        String json = new String(bytes, 20, jsonLen, StandardCharsets.UTF_8);
        assertThat(json).contains("\"targetNames\":[\"stretch\",\"none\"]").contains("\"model\":\"cube\"");

        GlbReader.Glb glb = GlbReader.read(p);
        Map<String, Object> pos = glb.accessor(0);
        assertThat(pos.get("min")).isEqualTo(List.of(-1.0, -2.0, -3.0));
        assertThat(pos.get("max")).isEqualTo(List.of(1.0, 2.0, 3.0));
        assertThat(glb.floats(0)).containsExactly(CUBE_V);
        int[] idx = glb.ints(1);
        assertThat(idx).containsExactly(CUBE_F);
        assertThat(glb.accessor(2).get("max")).isEqualTo(List.of(0.0, 0.5, 0.0));
        assertThat(glb.floats(2)).containsExactly(delta);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void randomMeshesRoundTripThroughGlbWithTrueMinMax(long seed) {
        Random r = new Random(seed);
        TriangleMesh m = randomMesh(r, true);
        float[] delta = randomMesh(new Random(seed + 100), false).positions();
        float[] deltas = java.util.Arrays.copyOf(delta, m.positions().length);
        Path p = dir.resolve("m.glb");
        GlbWriter.write(p, m, List.of(new MorphTarget("t", deltas)), Map.of());
        GlbReader.Glb glb = GlbReader.read(p);
        // attributes in the order POSITION, NORMAL, TEXCOORD_0, COLOR_0, indices, target
        assertThat(glb.floats(0)).containsExactly(m.positions());
        assertThat(glb.floats(1)).containsExactly(m.normals());
        assertThat(glb.floats(2)).containsExactly(m.uvs());
        assertThat(glb.floats(3)).containsExactly(m.colors());
        assertThat(glb.ints(4)).containsExactly(m.faces());
        assertThat(glb.floats(5)).containsExactly(deltas);
        for (int accessor : new int[] {0, 5}) {
            float[] x = glb.floats(accessor);
            List<Double> min = new ArrayList<>(), max = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
                for (int i = c; i < x.length; i += 3) {
                    lo = Math.min(lo, x[i]);
                    hi = Math.max(hi, x[i]);
                }
                min.add((double) (float) lo);
                max.add((double) (float) hi);
            }
            assertThat(glb.accessor(accessor).get("min")).isEqualTo(min);
            assertThat(glb.accessor(accessor).get("max")).isEqualTo(max);
        }
        for (int i : glb.ints(4)) assertThat(i).isBetween(0, m.numVertices() - 1);
    }

    @Test
    void theSameMeshGivesTheSameBytes() {
        TriangleMesh m = randomMesh(new Random(3), true);
        assertThat(GlbWriter.encode(m, List.of(), Map.of("a", "1"))).isEqualTo(GlbWriter.encode(m, List.of(), Map.of("a", "1")));
    }

    @Test
    void objReadsBackWithSeamsAndOneBasedFaces() throws IOException {
        float[] uv = {0, 0, 1, 0, 1, 1, 0, 1, 0.5f, 0.5f};
        int[] uvFaces = new int[CUBE_F.length];
        for (int i = 0; i < uvFaces.length; i++) uvFaces[i] = (CUBE_F[i] + i) % 5;
        Path p = dir.resolve("cube.obj");
        ObjWriter.write(p, new TriangleMesh(CUBE_V, CUBE_F, null, null, null), uv, uvFaces);
        List<Float> v = new ArrayList<>(), vt = new ArrayList<>();
        List<int[]> f = new ArrayList<>();
        for (String line : Files.readAllLines(p)) {
            String[] t = line.trim().split("\\s+");
            switch (t[0]) {
                case "v" -> Stream.of(t).skip(1).forEach(x -> v.add(Float.parseFloat(x)));
                case "vt" -> Stream.of(t).skip(1).forEach(x -> vt.add(Float.parseFloat(x)));
                case "f" -> {
                    for (int k = 1; k <= 3; k++) {
                        String[] pair = t[k].split("/");
                        f.add(new int[] {Integer.parseInt(pair[0]), Integer.parseInt(pair[1])});
                    }
                }
                default -> { }
            }
        }
        for (int i = 0; i < CUBE_V.length; i++) assertThat(v.get(i)).isEqualTo(CUBE_V[i]);
        for (int i = 0; i < uv.length; i++) assertThat(vt.get(i)).isEqualTo(uv[i]);
        assertThat(f).hasSize(CUBE_F.length);
        for (int i = 0; i < CUBE_F.length; i++) {
            assertThat(f.get(i)[0]).isEqualTo(CUBE_F[i] + 1);
            assertThat(f.get(i)[1]).isEqualTo(uvFaces[i] + 1);
        }
    }

    @Test
    void plyReadsBack() throws IOException {
        TriangleMesh m = randomMesh(new Random(9), true);
        Path p = dir.resolve("m.ply");
        PlyWriter.write(p, m);
        byte[] bytes = Files.readAllBytes(p);
        String text = new String(bytes, StandardCharsets.US_ASCII);
        int body = text.indexOf("end_header\n") + "end_header\n".length();
        assertThat(text.substring(0, body)).contains("element vertex " + m.numVertices()).contains("element face " + m.numFaces())
                .contains("format binary_little_endian 1.0");
        ByteBuffer b = ByteBuffer.wrap(bytes, body, bytes.length - body).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < m.numVertices(); i++) {
            for (int c = 0; c < 3; c++) assertThat(b.getFloat()).isEqualTo(m.positions()[i * 3 + c]);
            for (int c = 0; c < 3; c++) assertThat(b.getFloat()).isEqualTo(m.normals()[i * 3 + c]);
            for (int c = 0; c < 3; c++) assertThat(b.get() & 0xff).isEqualTo(Math.round(255 * m.colors()[i * 3 + c]));
        }
        for (int k = 0; k < m.numFaces(); k++) {
            assertThat(b.get()).isEqualTo((byte) 3);
            for (int c = 0; c < 3; c++) assertThat(b.getInt()).isEqualTo(m.faces()[k * 3 + c]);
        }
        assertThat(b.remaining()).isZero();
    }

    @Test
    void badMeshesAreRefusedAndNothingIsLeftBehind() throws IOException {
        float[] nan = CUBE_V.clone();
        nan[7] = Float.NaN;
        assertThatThrownBy(() -> new TriangleMesh(nan, CUBE_F, null, null, null)).isInstanceOf(InputException.class)
                .hasMessageContaining("positions").hasMessageContaining("NaN").hasMessageContaining("vertex 2");
        int[] bad = CUBE_F.clone();
        bad[5] = 8;
        assertThatThrownBy(() -> new TriangleMesh(CUBE_V, bad, null, null, null)).isInstanceOf(InputException.class)
                .hasMessageContaining("face 1").hasMessageContaining("vertex 8");
        Path target = dir.resolve("never.glb");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[100]);
            throw new IOException("disk full");
        })).hasMessageContaining("disk full");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
        Path junk = dir.resolve("junk.glb");
        Files.writeString(junk, "glTF but not really");
        assertThatThrownBy(() -> GlbReader.read(junk)).isInstanceOf(InputException.class).hasMessageStartingWith(junk.toString());
    }
}
