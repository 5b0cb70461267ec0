package dev.expportrait.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expportrait.fit.PersonalHead;
import dev.expportrait.fit.PersonalHeadFile;
import dev.expportrait.head.HeadModelFile;
import dev.expportrait.head.builtin.BuiltinHead;
import dev.expportrait.io.Json;
import dev.expportrait.io.Mp4;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code expportrait fit} end to end on one tiny synthetic clip (64 px, 3 frames, level 0) with a tiny config. */
class FitCommandTest {
    static final int FRAMES = 3;

    @TempDir
    static Path shared;
    static Path model, clip, config;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeClip() throws IOException {
        model = shared.resolve("builtin.npz");
        HeadModelFile.write(model, BuiltinHead.generate());
        Path data = shared.resolve("synth");
        CliTest.Result r = CliTest.run("synth", "--model", model.toString(), "--identities", "1", "--frames", String.valueOf(FRAMES),
                "--size", "64", "--level", "0", "--seed", "5", "--out", data.toString());
        assertThat(r.code()).as(r.err()).isZero();
        clip = data.resolve("id000/clip00");
        config = shared.resolve("tiny.json");
        // A few steps of each stage: the test checks the plumbing, bench/fit.sh the accuracy.
        Files.writeString(config, "{\"level\": 0, \"tracking\": {\"iterations\": 10}, \"details\": {\"epochs\": 1, \"batchFrames\": 4}}");
    }

    /** Runs fit on the clip with the tiny config; {@code extra} options replace those of the same name. */
    static CliTest.Result fit(Path out, String... extra) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("--model", model.toString());
        options.put("--clip", clip.toString());
        options.put("--config", config.toString());
        options.put("--out", out.toString());
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("fit"));
        for (int i = 0; i < extra.length; i++) {
            if (extra[i].equals("--no-dense")) args.add(extra[i]);
            else options.put(extra[i], extra[++i]);
        }
        options.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return CliTest.run(args.toArray(String[]::new));
    }

    @Test
    void fitWritesTheHeadTheLossPlotTheOverlayAndTheErrors() throws IOException {
        Path out = dir.resolve("new/folder/subject.head");
        CliTest.Result r = fit(out);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("tracking").contains("face vertex error").contains("wrote " + out);
        PersonalHead head = PersonalHeadFile.read(out);
        assertThat(head.frames()).isEqualTo(FRAMES);
        assertThat(head.level()).isZero();
        assertThat(dir.resolve("new/folder/subject.loss.png")).isRegularFile();
        assertThat(Mp4.read(dir.resolve("new/folder/subject.overlay.mp4")).frames()).hasSize(FRAMES);
        @SuppressWarnings("unchecked")
        Map<String, Object> errors = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("new/folder/subject.errors.json")));
        assertThat(errors).containsEntry("frames", (long) FRAMES).containsKey("errors");
        try (var st = dev.expportrait.io.SafeTensors.read(out)) {
            assertThat(st.metadata().get("command")).startsWith("expportrait fit ").contains("--config");
            assertThat(st.metadata()).containsKey("config").containsEntry("seed", "1");
        }
    }

    @Test
    void singleImageModeFitsOneFrame() {
        Path out = dir.resolve("portrait.head");
        CliTest.Result r = fit(out, "--frame", "2", "--no-dense");
        assertThat(r.code()).as(r.err()).isZero();
        PersonalHead head = PersonalHeadFile.read(out);
        assertThat(head.frames()).isEqualTo(1);
        assertThat(head.source()).endsWith("#2");
        assertThat(Mp4.read(dir.resolve("portrait.overlay.mp4")).frames()).hasSize(1);
    }

    @Test
    void aMissingFrameGetsOneLineNamingItExitCodeTwoAndNoOutput() throws IOException {
        Path broken = dir.resolve("broken");
        copy(clip, broken);
        Path missing = broken.resolve("rgb/000001.png");
        Files.delete(missing);
        Path out = dir.resolve("out/subject.head");
        CliTest.Result r = fit(out, "--clip", broken.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("expportrait: ").contains(missing.toString());
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void badOptionsGetOneLineAndExitCodeTwo() throws IOException {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        Path out = dir.resolve("out/subject.head");
        String[][] cases = {
            {"--frame", "99"},
            {"--frames", "0"},
            {"--frame", "-1"},
            {"--frame", "0", "--frames", "2"},
            {"--level", "3"},
            {"--config", dir.resolve("missing.json").toString()},
            {"--out", file.resolve("subject.head").toString()},
            {"--out", dir.toString()},
        };
        for (String[] extra : cases) {
            CliTest.Result r = fit(out, extra);
            assertThat(r.code()).as(String.join(" ", extra) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).startsWith("expportrait: ");
        }
        assertThat(fit(out, "--frame", "99").err()).contains("--frame 99");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a-file");
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            s.forEach(p -> {
                try {
                    Files.copy(p, to.resolve(from.relativize(p).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
