package dev.expportrait.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expportrait.head.builtin.BuiltinHead;
import dev.expportrait.head.HeadModelFile;
import dev.expportrait.io.GlbReader;
import dev.expportrait.io.Npy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, on a model file written once for the class. */
class CliTest {
    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeModel() {
        model = shared.resolve("builtin.npz");
        HeadModelFile.write(model, BuiltinHead.generate());
    }

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cl = Main.commandLine();
            cl.setOut(new java.io.PrintWriter(System.out, true));
            cl.setErr(new java.io.PrintWriter(System.err, true));
            int code = cl.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void exportWritesAGlbWithExpressionMorphTargetsAndProvenance() {
        Path out = dir.resolve("smile.glb");
        Result r = run("head", "export", "--model", model.toString(), "--expression", "mouthSmileLeft=1,mouthSmileRight=1",
                "--pose", "jaw=0.2,0,0", "--level", "1", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote").contains("morph targets");
        GlbReader.Glb glb = GlbReader.read(out);
        @SuppressWarnings("unchecked")
        Map<String, Object> mesh = (Map<String, Object>) ((List<Object>) glb.json().get("meshes")).get(0);
        @SuppressWarnings("unchecked")
        List<Object> names = (List<Object>) ((Map<String, Object>) mesh.get("extras")).get("targetNames");
        assertThat(names).contains("mouthSmileLeft", "eyeBlinkRight");
        assertThat(glb.json().get("asset").toString()).contains("expportrait head export");
    }

    @Test
    void npyExportHoldsTheDenseVertices() {
        Path out = dir.resolve("v.npy");
        Result r = run("head", "export", "--model", model.toString(), "--level", "0", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        var arr = Npy.read(out);
        assertThat(arr.ndim()).isEqualTo(2);
        assertThat(arr.shape(1)).isEqualTo(3);
    }

    @Test
    void badInputGetsOneLineExitCodeTwoAndNoFile() throws Exception {
        Path out = dir.resolve("x.glb");
        String[][] cases = {
            {"head", "export", "--model", model.toString(), "--expression", "grin=1", "--out", out.toString()},
            {"head", "export", "--model", model.toString(), "--expression", "mouthSmileLeft=NaN", "--out", out.toString()},
            {"head", "export", "--model", model.toString(), "--pose", "elbowz=0,0,0", "--out", out.toString()},
            {"head", "export", "--model", dir.resolve("missing.npz").toString(), "--out", out.toString()},
            {"head", "export", "--model", model.toString(), "--out", dir.resolve("x.stl").toString()},
            {"head", "export", "--model", model.toString(), "--level", "5", "--out", out.toString()},
            {"render", "--model", model.toString(), "--maps", "normal,albedo", "--out", dir.resolve("r").toString()},
            {"render", "--model", model.toString(), "--size", "3", "--out", dir.resolve("r").toString()},
        };
        Path truncated = dir.resolve("truncated.npz");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        for (String[] args : cases) {
            Result r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).startsWith("expportrait: ");
        }
        Result t = run("head", "info", "--model", truncated.toString());
        assertThat(t.code()).isEqualTo(2);
        assertThat(t.err()).contains(truncated.toString());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("truncated.npz");
        }
    }

    @Test
    void renderWritesTheRequestedMapsWithADecodableDepth() {
        Path out = dir.resolve("render");
        Result r = run("render", "--model", model.toString(), "--level", "0", "--size", "64", "--maps", "normal,depth,mask", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("normal.png", "depth.png", "mask.png");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        float[] depth = dev.expportrait.render.MapImages.readDepth(out.resolve("depth.png"));
        int covered = 0;
        for (float d : depth) {
            if (!Float.isNaN(d)) {
                covered++;
                assertThat(d).isBetween(0.5f, 5f); // metres from a portrait camera
            }
        }
        assertThat(covered).isGreaterThan(64 * 64 / 5);
    }

    @Test
    void infoListsCountsJointsAndDirections() {
        Result r = run("head", "info", "--model", model.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("vertices").contains("jaw").contains("mouthSmileLeft").contains("head_width")
                .contains("head subset S").contains("level 2");
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        for (String[] cmd : new String[][] {{"--help"}, {"demo", "--help"}, {"head", "--help"}, {"head", "info", "--help"},
            {"head", "export", "--help"}, {"render", "--help"}, {"synth", "--help"}, {"fit", "--help"}, {"transfer", "--help"},
            {"transfer", "train", "--help"}, {"transfer", "apply", "--help"}}) {
            Result r = run(cmd);
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("Example");
        }
    }
}
