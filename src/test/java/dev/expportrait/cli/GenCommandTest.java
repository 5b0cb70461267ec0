package dev.expportrait.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expportrait.gen.GeneratorFile;
import dev.expportrait.head.HeadModelFile;
import dev.expportrait.head.builtin.BuiltinHead;
import dev.expportrait.io.Json;
import dev.expportrait.io.Png;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code expportrait gen train-vae}, {@code gen train} and {@code gen sample} end to end on a tiny synthetic dataset. */
class GenCommandTest {
    @TempDir
    static Path shared;
    static Path data, vae, generator;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainBothStagesForTwoSteps() throws IOException {
        Path model = shared.resolve("builtin.npz");
        HeadModelFile.write(model, BuiltinHead.generate());
        data = shared.resolve("synth");
        CliTest.Result s = CliTest.run("synth", "--model", model.toString(), "--identities", "2", "--frames", "6", "--size", "64", "--level", "0",
                "--seed", "9", "--out", data.toString());
        assertThat(s.code()).as(s.err()).isZero();
        vae = shared.resolve("vae.safetensors");
        CliTest.Result v = CliTest.run("gen", "train-vae", "--data", data.toString(), "--steps", "2", "--batch", "1", "--out", vae.toString());
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out()).contains("2 clips of 64x64 px").contains("step 2/2").contains("wrote " + vae);
        generator = shared.resolve("g.safetensors");
        CliTest.Result t = CliTest.run("gen", "train", "--data", data.toString(), "--vae", vae.toString(), "--steps", "2", "--batch", "1", "--frames", "5", "--half",
                "--out", generator.toString());
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(t.out()).contains("step 2/2").contains("sample at step 2").contains("wrote " + generator);
    }

    @Test
    void trainingWritesWeightsCheckpointsLossPlotsAndSampleStrips() {
        assertThat(GeneratorFile.read(vae).hasDenoiser()).isFalse();
        GeneratorFile.Contents g = GeneratorFile.read(generator);
        assertThat(g.hasDenoiser()).isTrue();
        assertThat(g.frames()).isEqualTo(5);
        assertThat(g.metadata().get("command")).startsWith("expportrait gen train");
        assertThat(shared.resolve("vae.ckpt.safetensors")).isRegularFile();
        assertThat(shared.resolve("g.ckpt.safetensors")).isRegularFile();
        assertThat(shared.resolve("vae.loss.png")).isRegularFile();
        assertThat(shared.resolve("g.loss.png")).isRegularFile();
        assertThat(shared.resolve("g.samples").resolve("step-000002.png")).isRegularFile();
    }

    @Test
    @SuppressWarnings("unchecked")
    void sampleWritesFramesVideoStripAndScoresAgainstTheTruth() throws IOException {
        Path out = dir.resolve("sample");
        CliTest.Result r = CliTest.run("gen", "sample", "--model", generator.toString(), "--clip", data.resolve("id000/clip00").toString(),
                "--frames", "5", "--steps", "2", "--guidance", "1.5", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("generated 5 frames of 64x64").contains("PSNR");
        for (int f = 0; f < 5; f++) assertThat(out.resolve(String.format("frames/%06d.png", f))).isRegularFile();
        assertThat(out.resolve("video.mp4")).isRegularFile();
        assertThat(out.resolve("strip.png")).isRegularFile();
        Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(out.resolve("metrics.json")));
        assertThat(((Number) m.get("psnr")).doubleValue()).isPositive();
        assertThat((java.util.List<Object>) m.get("ssimPerFrame")).hasSize(5);

        // The clip's reference frame's own normal map is known: its pixels are kept where the control is unchanged,
        // the background among them (the corner pixel of every frame is the reference's).
        byte[] ref = Png.read8(data.resolve("id000/clip00/rgb/000000.png"), 3).bytes();
        for (int f = 0; f < 5; f++) {
            byte[] frame = Png.read8(out.resolve(String.format("frames/%06d.png", f)), 3).bytes();
            assertThat(java.util.Arrays.copyOf(frame, 3)).isEqualTo(java.util.Arrays.copyOf(ref, 3));
        }

        // --control, --reference and --reference-normals: the clip's normal maps and its first frame give the same video;
        // without --reference-normals, the generator's whole frames, as --clip with --full-frame.
        Path again = dir.resolve("again"), whole = dir.resolve("whole"), wholeClip = dir.resolve("whole-clip");
        String normals = data.resolve("id000/clip00/normal").toString(), reference = data.resolve("id000/clip00/rgb/000000.png").toString();
        CliTest.Result c = CliTest.run("gen", "sample", "--model", generator.toString(), "--control", normals, "--reference", reference,
                "--reference-normals", data.resolve("id000/clip00/normal/000000.png").toString(), "--frames", "5", "--steps", "2", "--guidance", "1.5",
                "--out", again.toString());
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(again.resolve("metrics.json")).doesNotExist();
        CliTest.Result w = CliTest.run("gen", "sample", "--model", generator.toString(), "--control", normals, "--reference", reference,
                "--frames", "5", "--steps", "2", "--guidance", "1.5", "--out", whole.toString());
        assertThat(w.code()).as(w.err()).isZero();
        CliTest.Result wc = CliTest.run("gen", "sample", "--model", generator.toString(), "--clip", data.resolve("id000/clip00").toString(),
                "--full-frame", "--frames", "5", "--steps", "2", "--guidance", "1.5", "--out", wholeClip.toString());
        assertThat(wc.code()).as(wc.err()).isZero();
        boolean differs = false;
        for (int f = 0; f < 5; f++) {
            String name = String.format("frames/%06d.png", f);
            assertThat(Files.readAllBytes(again.resolve(name))).isEqualTo(Files.readAllBytes(out.resolve(name)));
            assertThat(Files.readAllBytes(whole.resolve(name))).isEqualTo(Files.readAllBytes(wholeClip.resolve(name)));
            differs |= !java.util.Arrays.equals(Files.readAllBytes(whole.resolve(name)), Files.readAllBytes(out.resolve(name)));
        }
        assertThat(differs).as("keeping the reference's pixels changes the frames").isTrue();

        // Longer than the model's 5-frame window: two windows (frames 0-4, then 5 alone); the first is the 5-frame video.
        Path longer = dir.resolve("longer"), first = dir.resolve("first");
        CliTest.Result l = CliTest.run("gen", "sample", "--model", generator.toString(), "--clip", data.resolve("id000/clip00").toString(),
                "--start", "0", "--frames", "6", "--steps", "2", "--out", longer.toString());
        assertThat(l.code()).as(l.err()).isZero();
        assertThat(l.out()).contains("frames 0-4 of 6").contains("frames 5-5 of 6").contains("generated 6 frames");
        CliTest.Result f5 = CliTest.run("gen", "sample", "--model", generator.toString(), "--clip", data.resolve("id000/clip00").toString(),
                "--start", "0", "--frames", "5", "--steps", "2", "--out", first.toString());
        assertThat(f5.code()).as(f5.err()).isZero();
        for (int f = 0; f < 5; f++) {
            String name = String.format("frames/%06d.png", f);
            assertThat(Files.readAllBytes(longer.resolve(name))).isEqualTo(Files.readAllBytes(first.resolve(name)));
        }
        assertThat(longer.resolve("frames/000005.png")).isRegularFile();
        assertThat(longer.resolve("frames/000006.png")).doesNotExist();
        // No --frames: every control frame from --start (5 of the clip's 6 from frame 1).
        Path all = dir.resolve("all");
        assertThat(CliTest.run("gen", "sample", "--model", generator.toString(), "--clip", data.resolve("id000/clip00").toString(),
                "--steps", "1", "--out", all.toString()).out()).contains("generated 5 frames");
    }

    @Test
    void initStartsTheDenoiserFromAGenerator_andAVaeAloneIsRefused() {
        Path out = dir.resolve("continued.safetensors");
        CliTest.Result r = CliTest.run("gen", "train", "--data", data.toString(), "--vae", vae.toString(), "--init", generator.toString(), "--steps", "1",
                "--batch", "1", "--frames", "5", "--learning-rate", "1e-9", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("denoiser from " + generator).doesNotContain("new, from their initial values");
        assertThat(GeneratorFile.read(out).metadata().get("init")).isEqualTo(generator.toString());
        // One step at a negligible rate: the weights are still the initial generator's (to float16 rounding and the EMA's one update).
        var want = GeneratorFile.read(generator).generator().denoiserWeights();
        var got = GeneratorFile.read(out).generator().denoiserWeights();
        for (String name : want.keySet()) {
            float[] a = dev.expportrait.tensor.Tensors.toFloats(want.get(name)), b = dev.expportrait.tensor.Tensors.toFloats(got.get(name));
            for (int i = 0; i < a.length; i++) assertThat(b[i]).as(name).isCloseTo(a[i], org.assertj.core.api.Assertions.within(2e-3f + 2e-3f * Math.abs(a[i])));
        }
        Path refused = dir.resolve("refused.safetensors");
        CliTest.Result v = CliTest.run("gen", "train", "--data", data.toString(), "--vae", vae.toString(), "--init", vae.toString(), "--steps", "1",
                "--frames", "5", "--out", refused.toString());
        assertThat(v.code()).isEqualTo(2);
        assertThat(v.err().strip()).contains(vae.toString()).contains("a VAE alone").doesNotContain("\n");
        assertThat(refused).doesNotExist();
    }

    @Test
    void trainingOnClipsShorterThanItsWindowsIsRefusedWithNoOutput() {
        Path out = dir.resolve("g.safetensors");
        CliTest.Result r = CliTest.run("gen", "train", "--data", data.toString(), "--vae", vae.toString(), "--frames", "9", "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("6 frames, too few for windows of 9").doesNotContain("\n");
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("g.ckpt.safetensors")).doesNotExist();
    }

    @Test
    void badInputGetsOneLineExitTwoAndNoOutput() {
        Path out = dir.resolve("bad");
        String clip = data.resolve("id000/clip00").toString();
        String[][] cases = {
            {"--model", generator.toString(), "--clip", clip, "--frames", "0", "--out", out.toString()},
            {"--model", generator.toString(), "--clip", dir.resolve("nowhere").toString(), "--out", out.toString()},
            {"--model", vae.toString(), "--clip", clip, "--out", out.toString()},
            {"--model", generator.toString(), "--clip", clip, "--start", "3", "--frames", "5", "--out", out.toString()},
            {"--model", dir.resolve("none.safetensors").toString(), "--clip", clip, "--out", out.toString()},
            {"--model", generator.toString(), "--out", out.toString()},
            {"--model", generator.toString(), "--control", clip + "/normal", "--reference", clip + "/rgb/000000.png", "--reference-normals",
                dir.resolve("none.png").toString(), "--out", out.toString()},
            {"--model", generator.toString(), "--clip", clip, "--reference-normals", clip + "/normal/000000.png", "--out", out.toString()},
        };
        String[] expected = {"no frames to generate", "nowhere", "a VAE alone", "frames 3 to 7", "none.safetensors", "either --clip",
            "none.png: no such normal map of the reference", "--reference-normals goes with --control"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 2];
            args[0] = "gen";
            args[1] = "sample";
            System.arraycopy(cases[i], 0, args, 2, cases[i].length);
            CliTest.Result r = CliTest.run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip()).contains(expected[i]).doesNotContain("\n");
            assertThat(out).doesNotExist();
        }
        Path vaeOut = dir.resolve("bad-vae.safetensors");
        CliTest.Result s = CliTest.run("gen", "train-vae", "--data", data.toString(), "--steps", "1", "--ssim", "-0.5", "--out", vaeOut.toString());
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err().strip()).contains("--ssim -0.5: must be 0 or more").doesNotContain("\n");
        assertThat(vaeOut).doesNotExist();
    }
}
