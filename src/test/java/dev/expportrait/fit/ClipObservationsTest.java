package dev.expportrait.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.io.InputException;
import dev.expportrait.io.NdArray;
import dev.expportrait.io.Png;
import dev.expportrait.io.SafeTensors;
import dev.expportrait.io.SafeTensorsFile;
import dev.expportrait.render.MapImages;
import dev.expportrait.synth.ClipTruth;
import dev.expportrait.synth.ClipWriter;
import dev.expportrait.tensor.Tensors;
import dev.expportrait.synth.Degradation;
import dev.expportrait.synth.Identities;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One tiny synthetic clip (64 px, 3 frames, level 0) read back, then broken in each way a user could break it. */
class ClipObservationsTest {
    static final int T = 3, SIZE = 64;

    @TempDir
    static Path root;
    static Path clip;
    static int landmarks;

    @TempDir
    Path scratch;

    @BeforeAll
    static void writeClip() {
        clip = root.resolve("id000/clip00");
        landmarks = PersonalHeadTest.MODEL.numLandmarks();
        new ClipWriter(PersonalHeadTest.HEAD, Degradation.DEFAULT).write(clip, root, Identities.sample(7, PersonalHeadTest.MODEL),
                701, T, 25, SIZE, Map.of("command", "test"));
    }

    @Test
    void theGroundTruthHeadPosesExactlyAsTheClipsTruthAndProjectsItsLandmarks() {
        PersonalHead gt = GroundTruthHead.of(clip, PersonalHeadTest.HEAD);
        ClipTruth truth = ClipTruth.read(clip);
        assertThat(gt.frames()).isEqualTo(T);
        assertThat(gt.width()).isEqualTo(SIZE);
        assertThat(gt.source()).contains("ground truth");
        float[] a = Tensors.toFloats(gt.pose(PersonalHeadTest.HEAD, 0, T).vertices());
        float[] b = Tensors.toFloats(truth.posed(PersonalHeadTest.HEAD, 0, T));
        for (int i = 0; i < a.length; i++) assertThat(a[i]).isCloseTo(b[i], within(1e-6f));
        // Its cameras put the model's landmarks where the clip's exact landmarks are.
        for (int t = 0; t < T; t++) {
            float[] lm = Tensors.toFloats(gt.camera(t).project(PersonalHeadTest.HEAD.landmarks().evaluate(gt.pose(PersonalHeadTest.HEAD, t, 1).vertices())));
            for (int k = 0; k < lm.length; k++) assertThat(lm[k]).isCloseTo(truth.landmarks()[t * lm.length + k], within(1e-2f));
        }
    }

    @Test
    void readsTheEstimatedLandmarksTheCameraAndTheFrames() {
        Observations o = ClipObservations.read(clip, landmarks, false);
        assertThat(o.frames()).isEqualTo(T);
        assertThat(o.width()).isEqualTo(SIZE);
        assertThat(o.height()).isEqualTo(SIZE);
        assertThat(o.fps()).isEqualTo(25);
        assertThat(o.numLandmarks()).isEqualTo(landmarks);
        assertThat(o.hasDense()).isFalse();
        try (SafeTensorsFile st = SafeTensors.read(clip.resolve(ClipObservations.CLIP_FILE))) {
            assertThat(Arrays.equals(o.landmarks(), st.get("landmarksEstimated").toFloatArray())).isTrue();
            assertThat(Arrays.equals(o.landmarks(), st.get("landmarks").toFloatArray())).isFalse();
            // clip version 2: one camera per frame (camera shake moves the principal point)
            assertThat(Arrays.equals(o.intrinsics(), st.get("intrinsics").toFloatArray())).isTrue();
            assertThat(Arrays.equals(o.rotation(), st.get("rotation").toDoubleArray())).isTrue();
            assertThat(Arrays.equals(o.cameraTranslation(), st.get("cameraTranslation").toDoubleArray())).isTrue();
        }
        assertThat(Arrays.equals(o.rgb()[2], Png.read(clip.resolve("rgb/000002.png")).bytes())).isTrue();
    }

    @Test
    void denseTargetsDecodeToUnitNormalsCloseToTheTruthAndToTheEstimatedDepth() {
        Observations o = ClipObservations.read(clip, landmarks, true);
        assertThat(o.hasDense()).isTrue();
        int px = SIZE * SIZE;
        java.util.List<Double> angles = new java.util.ArrayList<>();
        for (int t = 0; t < T; t++) {
            String name = String.format("%06d.png", t);
            byte[] mask = Png.read(clip.resolve("mask").resolve(name)).bytes();
            byte[] estimated = Png.read(clip.resolve("estimated/normal").resolve(name)).bytes();
            byte[] truth = Png.read(clip.resolve("normal").resolve(name)).bytes();
            float[] depth = MapImages.readDepth(clip.resolve("estimated/depth").resolve(name));
            float[] n = Arrays.copyOfRange(o.normals(), t * px * 3, (t + 1) * px * 3);
            boolean[] covered = new boolean[px];
            for (int p = 0; p < px; p++) covered[p] = mask[p] != 0;
            // Decoding inverts the encoding: encoded again, the normals give the file's bytes (or a neighbour
            // level where renormalizing moved a rounded value across a half).
            byte[] again = MapImages.normals(n, covered, SIZE, SIZE).data();
            for (int i = 0; i < again.length; i++) {
                assertThat(Math.abs((again[i] & 0xff) - (estimated[i] & 0xff))).as("byte " + i).isLessThanOrEqualTo(1);
            }
            for (int p = 0; p < px; p++) {
                int k = t * px + p;
                double len = Math.sqrt(n[p * 3] * n[p * 3] + n[p * 3 + 1] * n[p * 3 + 1] + n[p * 3 + 2] * n[p * 3 + 2]);
                assertThat(o.masks()[k]).isEqualTo((mask[p] & 0xff) / 255f);
                assertThat(o.depth()[k]).isEqualTo(Float.isNaN(depth[p]) ? 0f : depth[p]);
                if (!covered[p]) {
                    assertThat(len).isZero();
                    continue;
                }
                assertThat(len).isCloseTo(1, within(1e-5));
                double dot = 0, tl = 0;
                for (int c = 0; c < 3; c++) {
                    double g = (truth[p * 3 + c] & 0xff) / 127.5 - 1;
                    dot += g * n[p * 3 + c];
                    tl += g * g;
                }
                angles.add(Math.toDegrees(Math.acos(Math.min(1, dot / Math.sqrt(tl)))));
            }
        }
        assertThat(angles.size()).isGreaterThan(T * px / 10);
        java.util.Collections.sort(angles);
        // The estimate has about 5 degrees of noise inside and more at the silhouette, a wide band at 64 px.
        assertThat(angles.get(angles.size() / 2)).isLessThan(8.0);
    }

    @Test
    void aMissingOrExtraFrameIsNamed() throws IOException {
        Path c = copy();
        Files.delete(c.resolve("rgb/000001.png"));
        assertRefused(c, false, c.resolve("rgb/000001.png").toString(), "missing");
        Path d = copy();
        Files.copy(d.resolve("mask/000000.png"), d.resolve("mask/000003.png"));
        assertRefused(d, true, d.resolve("mask/000003.png").toString(), "extra");
        ClipObservations.read(d, landmarks, false); // masks are not read without dense targets
    }

    @Test
    void landmarksOfTheWrongCountAreRefused() {
        Path c = copy();
        rewrite(c, (arrays, meta) -> {
            float[] lm = arrays.get("landmarksEstimated").toFloatArray();
            arrays.put("landmarksEstimated", NdArray.ofFloats(Arrays.copyOf(lm, T * (landmarks - 1) * 2), T, landmarks - 1, 2));
        });
        assertRefused(c, false, c.resolve(ClipObservations.CLIP_FILE).toString(), (landmarks - 1) + " landmarks");
    }

    @Test
    void aNaNLandmarkIsRefused() {
        Path c = copy();
        rewrite(c, (arrays, meta) -> {
            float[] lm = arrays.get("landmarksEstimated").toFloatArray();
            lm[5] = Float.NaN;
            arrays.put("landmarksEstimated", NdArray.ofFloats(lm, T, landmarks, 2));
        });
        assertRefused(c, false, c.resolve(ClipObservations.CLIP_FILE).toString(), "NaN");
    }

    @Test
    void aFrameOfAnotherSizeIsNamedWithBothSizes() {
        Path c = copy();
        Png.writeRgb(c.resolve("rgb/000002.png"), SIZE + 2, SIZE, new byte[(SIZE + 2) * SIZE * 3], Map.of());
        assertRefused(c, false, c.resolve("rgb/000002.png").toString(), (SIZE + 2) + "x" + SIZE, SIZE + "x" + SIZE);
        Path d = copy();
        Png.writeGray8(d.resolve("mask/000001.png"), SIZE, SIZE / 2, new byte[SIZE * SIZE / 2], Map.of());
        assertRefused(d, true, d.resolve("mask/000001.png").toString(), SIZE + "x" + SIZE / 2);
    }

    @Test
    void aTruncatedPngIsNamed() throws IOException {
        Path c = copy();
        Path f = c.resolve("estimated/normal/000001.png");
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
        assertRefused(c, true, f.toString(), "PNG");
    }

    @Test
    void aWrongFormatOrAMissingFolderIsRefused() {
        Path c = copy();
        rewrite(c, (arrays, meta) -> meta.put("format", "expportrait.personal-head"));
        assertRefused(c, false, c.resolve(ClipObservations.CLIP_FILE).toString(), "expportrait.personal-head");
        Path v = copy();
        rewrite(v, (arrays, meta) -> meta.put("version", "3"));
        assertRefused(v, false, v.resolve(ClipObservations.CLIP_FILE).toString(), "version 3");
        assertRefused(scratch.resolve("nowhere"), false, scratch.resolve("nowhere").toString(), "no such clip folder");
        assertRefused(scratch, false, scratch.resolve(ClipObservations.CLIP_FILE).toString(), "missing");
    }

    @Test
    void perFrameIntrinsicsOfVersion2AreKept() {
        Path c = copy();
        float[] k = new float[T * 4];
        for (int t = 0; t < T; t++) {
            k[t * 4] = k[t * 4 + 1] = 100 + t;
            k[t * 4 + 2] = k[t * 4 + 3] = 31.5f;
        }
        rewrite(c, (arrays, meta) -> {
            arrays.put("intrinsics", NdArray.ofFloats(k, T, 4));
            meta.put("version", "2");
        });
        assertThat(Arrays.equals(ClipObservations.read(c, landmarks, false).intrinsics(), k)).isTrue();
        k[4] = Float.POSITIVE_INFINITY;
        rewrite(c, (arrays, meta) -> arrays.put("intrinsics", NdArray.ofFloats(k, T, 4)));
        assertRefused(c, false, c.resolve(ClipObservations.CLIP_FILE).toString(), "intrinsics");
    }

    private static void assertRefused(Path dir, boolean dense, String... messageParts) {
        assertThatThrownBy(() -> ClipObservations.read(dir, landmarks, dense)).isInstanceOf(InputException.class)
                .hasMessageContainingAll(messageParts).hasMessageNotContaining("\n");
    }

    /** A fresh copy of the clip, without its video. */
    private Path copy() {
        Path target = scratch.resolve("clip" + System.nanoTime());
        try (Stream<Path> s = Files.walk(clip)) {
            for (Path p : s.toList()) {
                Path to = target.resolve(clip.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (!p.getFileName().toString().endsWith(".mp4")) {
                    Files.copy(p, to);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Rewrites the clip's safetensors file after {@code edit} changed its tensors and metadata. */
    private static void rewrite(Path dir, BiConsumer<Map<String, NdArray>, Map<String, String>> edit) {
        rewriteSafeTensors(dir.resolve(ClipObservations.CLIP_FILE), edit);
    }

    /** Rewrites a safetensors file after {@code edit} changed its tensors and metadata. */
    static void rewriteSafeTensors(Path file, BiConsumer<Map<String, NdArray>, Map<String, String>> edit) {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        Map<String, String> meta;
        try (SafeTensorsFile st = SafeTensors.read(file)) {
            for (String k : st.keys()) arrays.put(k, st.get(k));
            meta = new LinkedHashMap<>(st.metadata());
        }
        edit.accept(arrays, meta);
        SafeTensors.write(file, arrays, meta);
    }
}
