package dev.expportrait.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.head.builtin.BuiltinHead;
import dev.expportrait.io.InputException;
import dev.expportrait.io.Mp4;
import dev.expportrait.io.Png;
import dev.expportrait.io.SafeTensors;
import dev.expportrait.io.SafeTensorsFile;
import dev.expportrait.render.MapImages;
import dev.expportrait.tensor.Tensors;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny dataset (2 identities, 4 frames, 96 px, level 0) written once, checked against its own ground truth. */
class SynthDatasetTest {
    static final HeadModel MODEL = BuiltinHead.generate();
    static final SynthDataset TINY = new SynthDataset(2, 1, 4, 96, 25, 0, 5);
    static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

    @TempDir
    static Path root;
    static Path data;

    @BeforeAll
    static void write() {
        data = root.resolve("a");
        TINY.write(MODEL, data, "test", QUIET);
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedAnotherPerson() throws IOException {
        Path again = root.resolve("b");
        TINY.write(MODEL, again, "test", QUIET);
        List<Path> files;
        try (Stream<Path> s = Files.walk(data)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(2 * 4 * 6);
        for (Path f : files) {
            Path other = again.resolve(data.relativize(f));
            assertThat(Arrays.equals(Files.readAllBytes(f), Files.readAllBytes(other))).as(data.relativize(f).toString()).isTrue();
        }
        try (SafeTensorsFile a = SafeTensors.read(data.resolve("id000/clip00/clip.safetensors"));
             SafeTensorsFile b = SafeTensors.read(data.resolve("id001/clip00/clip.safetensors"))) {
            assertThat(a.get("betas").toFloatArray()).isNotEqualTo(b.get("betas").toFloatArray());
            assertThat(a.metadata()).containsEntry("format", ClipWriter.FORMAT).containsEntry("version", ClipWriter.VERSION);
        }
        assertThat(Files.readString(data.resolve("manifest.json"))).contains(SynthDataset.FORMAT).contains("id001/clip00")
                .contains("\"eye_colour\"").contains("\"clothing_pattern\"").contains("\"background\"");
    }

    @Test
    void landmarksAreTheProjectionOfTheGroundTruthMeshRebuiltFromTheFile() {
        DenseHead head = new DenseHead(MODEL, HeadSubset.select(MODEL), 0, ScalarType.Float);
        try (SafeTensorsFile st = SafeTensors.read(data.resolve("id001/clip00/clip.safetensors"))) {
            int t = 4, vd = head.numVertices();
            float[] betas = st.get("betas").toFloatArray();
            float[] rows = new float[t * betas.length];
            for (int i = 0; i < t; i++) System.arraycopy(betas, 0, rows, i * betas.length, betas.length);
            int[] face = st.get("faceVertices").toIntArray();
            float[] faceOffsets = st.get("expressionOffsets").toFloatArray();
            float[] dExp = new float[t * vd * 3];
            for (int f = 0; f < t; f++) {
                for (int i = 0; i < face.length; i++) {
                    System.arraycopy(faceOffsets, (f * face.length + i) * 3, dExp, (f * vd + face[i]) * 3, 3);
                }
            }
            Tensor posed = head.pose(Tensors.floats(rows, t, betas.length),
                    Tensors.floats(st.get("expression").toFloatArray(), t, MODEL.numExpression()),
                    Tensors.floats(st.get("pose").toFloatArray(), t, MODEL.numJoints(), 3),
                    Tensors.floats(st.get("translation").toFloatArray(), t, 3),
                    Tensors.floats(st.get("identityOffsets").toFloatArray(), vd, 3), Tensors.floats(dExp, t, vd, 3)).vertices();
            assertThat(st.get("intrinsics").shape()).containsExactly(t, 4);
            float[] k = st.get("intrinsics").toFloatArray();
            assertThat(k[2]).as("the principal point moves with the camera shake").isNotEqualTo(k[4 * 3 + 2]);
            double[] r = st.get("rotation").toDoubleArray(), tr = st.get("cameraTranslation").toDoubleArray();
            float[] lmk3 = Tensors.toFloats(head.landmarks().evaluate(posed));
            float[] saved = st.get("landmarks").toFloatArray();
            for (int i = 0; i < lmk3.length / 3; i++) {
                double x = lmk3[3 * i], y = lmk3[3 * i + 1], z = lmk3[3 * i + 2];
                double cx = r[0] * x + r[1] * y + r[2] * z + tr[0];
                double cy = r[3] * x + r[4] * y + r[5] * z + tr[1];
                double cz = r[6] * x + r[7] * y + r[8] * z + tr[2];
                int f = 4 * (i / (lmk3.length / 3 / t)); // this landmark's frame's row of the [T, 4] intrinsics
                assertThat((double) saved[2 * i]).isCloseTo(k[f] * cx / cz + k[f + 2], org.assertj.core.api.Assertions.within(0.05));
                assertThat((double) saved[2 * i + 1]).isCloseTo(k[f + 1] * cy / cz + k[f + 3], org.assertj.core.api.Assertions.within(0.05));
            }
        }
    }

    @Test
    void normalMapsAgreeWithNormalsFromTheDepthMapsOnSmoothRegions() {
        Path clip = data.resolve("id000/clip00");
        float[] k;
        try (SafeTensorsFile st = SafeTensors.read(clip.resolve("clip.safetensors"))) {
            k = Arrays.copyOfRange(st.get("intrinsics").toFloatArray(), 4 * 2, 4 * 3); // frame 2's camera
        }
        float[] depth = MapImages.readDepth(clip.resolve("depth/000002.png"));
        Png.Image normal = Png.read(clip.resolve("normal/000002.png"));
        int w = normal.width(), h = normal.height();
        double[] angles = new double[w * h];
        int n = 0;
        for (int y = 2; y < h - 2; y++) {
            for (int x = 2; x < w - 2; x++) {
                if (!interior(depth, w, x, y)) continue;
                double[] c = backProject(depth, k, w, x, y), px = backProject(depth, k, w, x + 1, y), py = backProject(depth, k, w, x, y + 1);
                double[] a = {px[0] - c[0], px[1] - c[1], px[2] - c[2]}, b = {py[0] - c[0], py[1] - c[1], py[2] - c[2]};
                // Camera frame (x right, y down, z forward): a x b points away from the camera, so the outward
                // normal is -(a x b); the map's frame then flips y and z.
                double nx = a[1] * b[2] - a[2] * b[1], ny = a[2] * b[0] - a[0] * b[2], nz = a[0] * b[1] - a[1] * b[0];
                double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
                double[] fromDepth = {-nx / len, ny / len, nz / len};
                int p = (y * w + x) * 3;
                double[] map = {normal.samples()[p] / 127.5 - 1, normal.samples()[p + 1] / 127.5 - 1, normal.samples()[p + 2] / 127.5 - 1};
                double ml = Math.sqrt(map[0] * map[0] + map[1] * map[1] + map[2] * map[2]);
                double dot = (fromDepth[0] * map[0] + fromDepth[1] * map[1] + fromDepth[2] * map[2]) / ml;
                angles[n++] = Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, dot))));
            }
        }
        assertThat(n).isGreaterThan(500);
        double[] s = Arrays.copyOf(angles, n);
        Arrays.sort(s);
        assertThat(s[n / 2]).as("median angle between map and depth normals, degrees").isLessThan(8);
    }

    @Test
    void framesShowTheIdentitysBackgroundWhereEmptyAndBlendItAtTheSilhouette() {
        long identitySeed = 5 * 1000 + 1;
        Identity id = Identities.sample(identitySeed, MODEL);
        Background bg = Appearance.of(id).background();
        float[] expected = bg.image(96, 96);
        Path clip = data.resolve("id001/clip00");
        Png.Image rgb = Png.read(clip.resolve("rgb/000001.png"));
        Png.Image mask = Png.read(clip.resolve("mask/000001.png"));
        int empty = 0, rim = 0;
        for (int p = 0; p < 96 * 96; p++) {
            boolean covered = mask.samples()[p] > 0;
            boolean nextToCovered = false; // antialiasing blends the pixels around the silhouette
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int x = p % 96 + dx, y = p / 96 + dy;
                    nextToCovered |= x >= 0 && y >= 0 && x < 96 && y < 96 && mask.samples()[y * 96 + x] > 0;
                }
            }
            if (covered || nextToCovered) {
                rim += !covered ? 1 : 0;
                continue;
            }
            for (int c = 0; c < 3; c++) {
                assertThat((double) rgb.samples()[3 * p + c]).isCloseTo(255.0 * expected[3 * p + c], org.assertj.core.api.Assertions.within(0.51));
            }
            empty++;
        }
        assertThat(empty).isGreaterThan(96 * 96 / 4);
        assertThat(rim).isGreaterThan(20);
    }

    @Test
    void theVideoDecodesAbove33DbAgainstThePngFrames() {
        Path clip = data.resolve("id001/clip00");
        Mp4.Video v = Mp4.read(clip.resolve("video.mp4"));
        assertThat(v.frames()).hasSize(4);
        for (int t = 0; t < 4; t++) {
            Png.Image png = Png.read(clip.resolve(String.format("rgb/%06d.png", t)));
            double se = 0;
            byte[] f = v.frames().get(t);
            for (int i = 0; i < f.length; i++) {
                double d = (f[i] & 0xff) - png.samples()[i];
                se += d * d;
            }
            assertThat(10 * Math.log10(255.0 * 255 / (se / f.length))).as("frame %d PSNR", t).isGreaterThan(33);
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> new SynthDataset(0, 1, 4, 64, 25, 0, 1)).isInstanceOf(InputException.class).hasMessageContaining("--identities");
        assertThatThrownBy(() -> new SynthDataset(1, 1, 4, 65, 25, 0, 1)).isInstanceOf(InputException.class).hasMessageContaining("--size");
        assertThatThrownBy(() -> new SynthDataset(1, 1, 4, 64, Double.NaN, 0, 1)).isInstanceOf(InputException.class).hasMessageContaining("--fps");
    }

    /** A pixel whose 5 x 5 neighbourhood is covered and smooth (no depth jump over 1 cm). */
    private static boolean interior(float[] depth, int w, int x, int y) {
        float c = depth[y * w + x];
        if (Float.isNaN(c)) return false;
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                float d = depth[(y + dy) * w + x + dx];
                if (Float.isNaN(d) || Math.abs(d - c) > 0.01) return false;
            }
        }
        return true;
    }

    private static double[] backProject(float[] depth, float[] k, int w, int x, int y) {
        double z = depth[y * w + x];
        return new double[] {(x - k[2]) / k[0] * z, (y - k[3]) / k[1] * z, z};
    }
}
