package dev.expportrait.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expportrait.io.Json;
import dev.expportrait.io.Mp4;
import dev.expportrait.io.Png;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of a fit, from a random head on the level-0 dense mesh (no fitting here: that is slow). */
class FitOutputsTest {
    static final int T = 2;

    @TempDir
    Path dir;

    static HeadFitter.Result result() {
        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put("tracking/landmarks", new double[] {1, 0.5, 0.25});
        curves.put("details/normals", new double[] {0.3, 0.2});
        return new HeadFitter.Result(PersonalHeadTest.random(PersonalHeadTest.MODEL.name(), T, 9), curves, 1.5);
    }

    /** Observations matching {@link PersonalHeadTest#random}: 128 px, random frames. */
    static Observations observations(PersonalHead h) {
        Random r = new Random(4);
        byte[][] rgb = new byte[T][h.width() * h.height() * 3];
        for (byte[] f : rgb) r.nextBytes(f);
        return new Observations("clips/a", T, h.width(), h.height(), 25, new float[T * PersonalHeadTest.MODEL.numLandmarks() * 2],
                null, null, null, rgb, h.intrinsics(), h.rotation(), h.cameraTranslation());
    }

    @Test
    void writesTheHeadTheLossPlotAndAnOverlayOfEveryFrame() {
        HeadFitter.Result r = result();
        Observations obs = observations(r.head());
        FitOutputs.Written w = FitOutputs.write(dir.resolve("a.head"), r, obs, PersonalHeadTest.HEAD, null, Map.of("command", "test"));
        assertThat(w.lossPlot()).isEqualTo(dir.resolve("a.loss.png"));
        assertThat(w.overlay()).isEqualTo(dir.resolve("a.overlay.mp4"));
        assertThat(w.errors()).isNull();
        assertThat(w.fitErrors()).isNull();
        assertThat(PersonalHeadFile.read(w.head()).frames()).isEqualTo(T);
        Png.Image plot = Png.read(w.lossPlot());
        assertThat(plot.width()).isEqualTo(FitOutputs.PLOT_WIDTH);
        assertThat(plot.height()).as("one panel per stage").isEqualTo(2 * FitOutputs.PLOT_HEIGHT);
        Mp4.Video video = Mp4.read(w.overlay());
        assertThat(video.frames()).hasSize(T);
        assertThat(video.width()).isEqualTo(obs.width());
        assertThat(video.metadata()).containsEntry("comment", "test");
        assertThat(dir.resolve("a.errors.json")).doesNotExist();
    }

    @Test
    void theOverlayShowsTheFrameOutsideTheMeshAndBlendsTheNormalsOverIt() {
        HeadFitter.Result r = result();
        Observations obs = observations(r.head());
        java.util.List<byte[]> frames = FitOverlay.frames(PersonalHeadTest.HEAD, r.head(), obs);
        assertThat(frames).hasSize(T);
        int same = 0, changed = 0;
        byte[] f = frames.get(1), rgb = obs.rgb()[1];
        for (int i = 0; i < f.length; i++) {
            if (f[i] == rgb[i]) same++;
            else changed++;
        }
        assertThat(same).as("background pixels are the frame's own").isGreaterThan(f.length / 10);
        assertThat(changed).as("the mesh covers part of the frame").isGreaterThan(f.length / 50);
    }

    @Test
    void aFailureLeavesNoneOfTheFilesBehind() throws IOException {
        Path head = dir.resolve("b.head");
        Files.createDirectories(head.resolve("in-the-way")); // a non-empty folder where the head should go
        HeadFitter.Result r = result();
        assertThatThrownBy(() -> FitOutputs.write(head, r, observations(r.head()), PersonalHeadTest.HEAD, null, Map.of()))
                .isInstanceOf(RuntimeException.class);
        assertThat(dir.resolve("b.loss.png")).doesNotExist();
        assertThat(dir.resolve("b.overlay.mp4")).doesNotExist();
    }

    @Test
    void siblingsReplaceTheLastExtension() {
        assertThat(FitOutputs.sibling(Path.of("out/subject.head"), ".loss.png")).isEqualTo(Path.of("out/subject.loss.png"));
        assertThat(FitOutputs.sibling(Path.of("out/v1.2.head"), ".overlay.mp4")).isEqualTo(Path.of("out/v1.2.overlay.mp4"));
        assertThat(FitOutputs.sibling(Path.of("subject"), ".errors.json")).isEqualTo(Path.of("subject.errors.json"));
    }

    @Test
    void errorsJsonKeepsANanAsAStringAndNamesTheUnits() {
        FitErrors e = new FitErrors(1.5, 6.5, 7.5, 2.5, 0.5, Double.NaN, 0.1, 0.02, 3, 4);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(FitOutputs.errorsJson(e, result().head(), 2.0));
        assertThat(m).containsEntry("format", FitOutputs.ERRORS_FORMAT).containsEntry("frames", 2L);
        @SuppressWarnings("unchecked")
        Map<String, Object> errors = (Map<String, Object>) m.get("errors");
        assertThat(errors).containsEntry("faceVertexError", 1.5).containsEntry("faceVertexErrorAbsolute", 6.5)
                .containsEntry("identityCorrelation", "NaN").hasSize(10);
        assertThat(m.get("units").toString()).contains("% of head width");
        assertThat(FitOutputs.table(e)).hasSize(10).anySatisfy(line -> assertThat(line).contains("face vertex error").contains("1.500"));
        assertThat(FitOutputs.summary(e)).contains("1.50% of head width").contains("2.5 deg").contains("0.50 px");
    }
}
