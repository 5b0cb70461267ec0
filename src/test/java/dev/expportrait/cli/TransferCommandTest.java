package dev.expportrait.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expportrait.fit.GroundTruthHead;
import dev.expportrait.fit.PersonalHead;
import dev.expportrait.fit.PersonalHeadFile;
import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadModelFile;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.head.builtin.BuiltinHead;
import dev.expportrait.io.Mp4;
import dev.expportrait.io.Png;
import dev.expportrait.io.SafeTensors;
import dev.expportrait.io.SafeTensorsFile;
import dev.expportrait.transfer.TransferModel;
import dev.expportrait.transfer.TransferModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code expportrait transfer train} and {@code apply} end to end on a tiny synthetic dataset (64 px, level 0). */
class TransferCommandTest {
    @TempDir
    static Path shared;
    static Path model, data, weights, reference, driver;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnATinyDataset() throws IOException {
        HeadModel m = BuiltinHead.generate();
        model = shared.resolve("builtin.npz");
        HeadModelFile.write(model, m);
        data = shared.resolve("synth");
        CliTest.Result s = CliTest.run("synth", "--model", model.toString(), "--identities", "3", "--frames", "6", "--size", "64", "--level", "0",
                "--seed", "9", "--out", data.toString());
        assertThat(s.code()).as(s.err()).isZero();
        weights = shared.resolve("w.safetensors");
        CliTest.Result t = CliTest.run("transfer", "train", "--model", model.toString(), "--data", data.toString(), "--level", "0", "--steps", "4",
                "--batch-vertices", "64", "--validation", "0.34", "--out", weights.toString());
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(t.out()).contains("3 synthetic clips (ground truth)").contains("step 4/4").contains("wrote " + weights);
        DenseHead head = new DenseHead(m, HeadSubset.select(m), 0, ScalarType.Float);
        reference = shared.resolve("ref.head");
        driver = shared.resolve("drv.head");
        PersonalHeadFile.write(reference, GroundTruthHead.of(data.resolve("id000/clip00"), head), java.util.Map.of());
        PersonalHeadFile.write(driver, GroundTruthHead.of(data.resolve("id001/clip00"), head), java.util.Map.of());
    }

    @Test
    void trainWritesTheWeightsTheCheckpointAndTheLossPlot() {
        assertThat(TransferModelFile.read(weights).level()).isZero();
        try (SafeTensorsFile st = SafeTensors.read(weights)) {
            assertThat(st.metadata().get("command")).isEqualTo("expportrait transfer train --model " + model + " --data " + data
                    + " --level 0 --steps 4 --batch-vertices 64 --validation 0.34 --out " + weights);
        }
        assertThat(shared.resolve("w.ckpt.safetensors")).isRegularFile();
        assertThat(shared.resolve("w.loss.png")).isRegularFile();
    }

    @Test
    void trainingAgainWithTheSameOptionsResumesFromTheFinishedCheckpoint() {
        CliTest.Result t = CliTest.run("transfer", "train", "--model", model.toString(), "--data", data.toString(), "--level", "0", "--steps", "4",
                "--batch-vertices", "64", "--validation", "0.34", "--out", weights.toString());
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(t.out()).contains("resuming from").contains("at step 4 of 4");
    }

    @Test
    void applyWithCompareWritesBothMethodsAndTheSideBySideVideo() {
        Path out = dir.resolve("cmp");
        CliTest.Result r = CliTest.run("transfer", "apply", "--model", model.toString(), "--reference", reference.toString(), "--driver",
                driver.toString(), "--weights", weights.toString(), "--compare", "--meshes", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        PersonalHead direct = PersonalHeadFile.read(out.resolve("direct/transferred.head"));
        PersonalHead module = PersonalHeadFile.read(out.resolve("module/transferred.head"));
        PersonalHead ref = PersonalHeadFile.read(reference), drv = PersonalHeadFile.read(driver);
        assertThat(direct.frames()).isEqualTo(drv.frames());
        assertThat(direct.betas()).containsExactly(ref.betas());
        assertThat(direct.expressionOffsets()).containsExactly(drv.expressionOffsets());
        assertThat(module.identityOffsets()).containsExactly(ref.identityOffsets());
        assertThat(out.resolve("module/normals/000005.png")).isRegularFile();
        assertThat(out.resolve("module/meshes/000005.ply")).isRegularFile();
        Mp4.Video v = Mp4.read(out.resolve("compare.mp4"));
        assertThat(v.width()).isEqualTo(2 * ref.width());
        assertThat(v.frames()).hasSize(drv.frames());
        // The reference's own normal map: its first frame through its camera, the synthetic clip's frame-0 map (the
        // reference is that clip's exact head) up to the two renderers' edge pixels.
        byte[] own = Png.read8(out.resolve("reference-normal.png"), 3).bytes(), clip = Png.read8(data.resolve("id000/clip00/normal/000000.png"), 3).bytes();
        int both = 0, either = 0;
        for (int i = 0; i < own.length; i += 3) {
            boolean a = own[i] != 0 || own[i + 1] != 0 || own[i + 2] != 0, b = clip[i] != 0 || clip[i + 1] != 0 || clip[i + 2] != 0;
            if (a && b) both++;
            if (a || b) either++;
        }
        assertThat(either).isGreaterThan(own.length / 3 / 10);
        assertThat((double) both / either).as("overlap of the two heads").isGreaterThan(0.95);
    }

    @Test
    void aMissingDriverIsOneLineExitTwoAndNoOutput() {
        Path out = dir.resolve("none");
        CliTest.Result r = CliTest.run("transfer", "apply", "--model", model.toString(), "--reference", reference.toString(), "--driver",
                dir.resolve("missing.head").toString(), "--weights", weights.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("missing.head");
        assertThat(out).doesNotExist();
    }

    @Test
    void theL1WeightIsTakenAndRecordedAndANegativeOneIsRefused() {
        Path w = dir.resolve("l1.safetensors");
        CliTest.Result t = CliTest.run("transfer", "train", "--model", model.toString(), "--data", data.toString(), "--level", "0", "--steps", "2",
                "--batch-vertices", "64", "--validation", "0.34", "--l1", "0.07", "--out", w.toString());
        assertThat(t.code()).as(t.err()).isZero();
        try (SafeTensorsFile st = SafeTensors.read(w)) {
            assertThat(st.metadata().get("config")).contains("\"l1Weight\":0.07");
        }
        Path refused = dir.resolve("neg.safetensors");
        CliTest.Result r = CliTest.run("transfer", "train", "--model", model.toString(), "--data", data.toString(), "--level", "0", "--steps", "2",
                "--l1", "-1", "--out", refused.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("--l1");
        assertThat(refused).doesNotExist();
    }

    @Test
    void theAverageFocusAndPatternOptionsAreTakenAndRecordedAndOutOfRangeOnesRefused() {
        Path w = dir.resolve("efp.safetensors");
        CliTest.Result t = CliTest.run("transfer", "train", "--model", model.toString(), "--data", data.toString(), "--level", "0", "--steps", "2",
                "--batch-vertices", "64", "--validation", "0.34", "--ema", "0.5", "--focus", "0.05", "--patterns", "2", "--out", w.toString());
        assertThat(t.code()).as(t.err()).isZero();
        try (SafeTensorsFile st = SafeTensors.read(w)) {
            assertThat(st.metadata().get("config")).contains("\"emaDecay\":0.5").contains("\"focus\":0.05").contains("\"patterns\":2");
            assertThat(st.metadata().get("patterns")).isEqualTo("2");
        }
        for (String[] bad : new String[][] {{"--ema", "1"}, {"--focus", "-0.1"}, {"--patterns", "-1"}}) {
            Path refused = dir.resolve("bad" + bad[0].substring(2) + ".safetensors");
            CliTest.Result r = CliTest.run("transfer", "train", "--model", model.toString(), "--data", data.toString(), "--level", "0", "--steps", "2",
                    bad[0], bad[1], "--out", refused.toString());
            assertThat(r.code()).as(bad[0]).isEqualTo(2);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).contains(bad[0]);
            assertThat(refused).doesNotExist();
        }
    }

    @Test
    void theEncoderKernelIsTakenAndRecordedAndAnEvenOneIsRefused() {
        Path w = dir.resolve("k3.safetensors");
        CliTest.Result t = CliTest.run("transfer", "train", "--model", model.toString(), "--data", data.toString(), "--level", "0", "--steps", "2",
                "--batch-vertices", "64", "--validation", "0.34", "--encoder-kernel", "3", "--out", w.toString());
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(TransferModelFile.read(w).sizes().kernel()).isEqualTo(3);
        Path refused = dir.resolve("k2.safetensors");
        CliTest.Result r = CliTest.run("transfer", "train", "--model", model.toString(), "--data", data.toString(), "--level", "0", "--steps", "2",
                "--encoder-kernel", "2", "--out", refused.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("--encoder-kernel");
        assertThat(refused).doesNotExist();
    }

    @Test
    void trainingDataWithoutHeadsIsRefused() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliTest.Result r = CliTest.run("transfer", "train", "--model", model.toString(), "--data", empty.toString(), "--level", "0",
                "--out", dir.resolve("w.safetensors").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("empty").contains("no .head files");
        assertThat(dir.resolve("w.safetensors")).doesNotExist();
    }

    @Test
    void weightsOfAnotherLevelAreRefused() {
        Path out = dir.resolve("lvl"), level1 = dir.resolve("level1.safetensors");
        TransferModelFile.write(level1, new TransferModel(BuiltinHead.generate().name(), 1, TransferModel.Sizes.defaults(30), 1), java.util.Map.of());
        CliTest.Result r = CliTest.run("transfer", "apply", "--model", model.toString(), "--reference", reference.toString(), "--driver",
                driver.toString(), "--weights", level1.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("level 1").contains("level 0");
        assertThat(out).doesNotExist();
    }
    @Test
    void anEnsembleOfTwoModulesTransfersTheMeanOfTheirOffsetsAndKeepsEachOnesProvenance() throws IOException {
        // Modules with weights drawn from two seeds (the tiny dataset's clips rest, where training would not move them).
        Path first = dir.resolve("w1.safetensors"), second = dir.resolve("w2.safetensors"), pair = dir.resolve("pair.safetensors");
        for (int seed = 1; seed <= 2; seed++) {
            HeadModel builtin = BuiltinHead.generate();
            TransferModel m = new TransferModel(builtin.name(), 0, TransferModel.Sizes.defaults(builtin.numExpression()), seed);
            try (var g = new org.bytedeco.pytorch.NoGradGuard()) {
                for (var w : m.parameters().values()) {
                    float[] v = new float[(int) w.numel()];
                    for (int i = 0; i < v.length; i++) v[i] = 0.05f * (float) Math.sin(seed * 7 + i);
                    w.add_(dev.expportrait.tensor.Tensors.floats(v, dev.expportrait.tensor.Tensors.shape(w)));
                }
            }
            TransferModelFile.write(seed == 1 ? first : second, m, java.util.Map.of("seed", Integer.toString(seed)));
        }
        CliTest.Result e = CliTest.run("transfer", "ensemble", "--members", first + "," + second, "--out", pair.toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("member 2: " + second).contains("wrote " + pair + " (2 modules");
        var members = dev.expportrait.transfer.TransferEnsembleFile.members(pair);
        assertThat(members).extracting(m -> m.provenance().get("seed")).containsExactly("1", "2");

        // The clip's first frames rest (where any module predicts exactly no offsets): drive with every coefficient at 0.5.
        PersonalHead d = PersonalHeadFile.read(driver);
        float[] expression = d.expression().clone();
        java.util.Arrays.fill(expression, 0.5f);
        Path expressive = dir.resolve("expressive.head");
        PersonalHeadFile.write(expressive, new PersonalHead(d.model(), d.level(), d.fps(), d.source(), d.width(), d.height(), d.numShape(),
                d.numExpression(), d.numJoints(), d.betas(), expression, d.pose(), d.translation(), d.intrinsics(), d.rotation(),
                d.cameraTranslation(), d.identityOffsets(), d.faceVertices(), d.expressionOffsets(), d.losses()), java.util.Map.of());
        float[][] offsets = new float[3][];
        Path[] files = {first, second, pair};
        for (int i = 0; i < 3; i++) {
            Path out = dir.resolve("apply" + i);
            CliTest.Result a = CliTest.run("transfer", "apply", "--model", model.toString(), "--reference", reference.toString(), "--driver",
                    expressive.toString(), "--weights", files[i].toString(), "--out", out.toString());
            assertThat(a.code()).as(a.err()).isZero();
            offsets[i] = PersonalHeadFile.read(out.resolve("transferred.head")).expressionOffsets();
        }
        double largest = 0, differ = 0, off = 0;
        for (int i = 0; i < offsets[2].length; i++) {
            largest = Math.max(largest, Math.abs(offsets[0][i]));
            differ = Math.max(differ, Math.abs(offsets[0][i] - offsets[1][i]));
            off = Math.max(off, Math.abs(offsets[2][i] - (offsets[0][i] + (double) offsets[1][i]) / 2));
        }
        assertThat(largest).as("the modules predict offsets").isGreaterThan(0);
        assertThat(differ).as("two seeds give two modules").isGreaterThan(0.01 * largest);
        assertThat(off).as("the ensemble's offsets are the mean of its members'").isLessThan(1e-5 * largest);
    }

    @Test
    void anEnsembleOfOneOrOfModulesForDifferentMeshesIsRefused() {
        Path out = dir.resolve("e.safetensors"), level1 = dir.resolve("level1.safetensors");
        CliTest.Result one = CliTest.run("transfer", "ensemble", "--members", weights.toString(), "--out", out.toString());
        assertThat(one.code()).isEqualTo(2);
        assertThat(one.err()).contains("--members").contains("at least 2");
        TransferModelFile.write(level1, new TransferModel(BuiltinHead.generate().name(), 1, TransferModel.Sizes.defaults(30), 1), java.util.Map.of());
        CliTest.Result mixed = CliTest.run("transfer", "ensemble", "--members", weights + "," + level1, "--out", out.toString());
        assertThat(mixed.code()).isEqualTo(2);
        assertThat(mixed.err()).contains("level1.safetensors").contains("level 1").contains("level 0");
        CliTest.Result missing = CliTest.run("transfer", "ensemble", "--members", weights + "," + dir.resolve("none.safetensors"), "--out", out.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("none.safetensors");
        assertThat(out).doesNotExist();
    }
}
