package dev.expportrait.transfer;

import static dev.expportrait.transfer.TransferFixture.FEATURES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expportrait.io.InputException;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferEnsembleFileTest {
    /** A module of the quick sizes (with {@code patterns} spatial patterns) whose weights are all non-trivial. */
    private static TransferModel module(long seed, int patterns) {
        TransferModel m = new TransferModel(TransferFixture.MODEL.name(), 0, TransferFixture.quick(1).sizes().withPatterns(patterns), seed);
        m.parameters().forEach((name, t) -> {
            float[] v = Tensors.toFloats(t);
            for (int i = 0; i < v.length; i++) v[i] += 0.3f * (float) Math.sin(seed + i + name.length());
            m.load(name, v);
        });
        return m;
    }

    private static final TransferSample SAMPLE = TransferFixture.samples(7, 1, 5).get(0);
    private static final Tensor F = FEATURES.of(SAMPLE.betas(), SAMPLE.identityOffsets(), SAMPLE.faceVertices());

    @Test
    void membersOfDifferentSizesRoundTripExactlyWithTheirOwnProvenanceAndTheMeanOfTheirPredictions(@TempDir Path dir) {
        TransferModel a = module(1, 0), b = module(2, 3), c = module(3, 0);
        Path file = dir.resolve("e.safetensors");
        TransferEnsembleFile.write(file, List.of(new TransferEnsembleFile.Member(a, Map.of("seed", "1", "validationLoss", "0.5")),
                new TransferEnsembleFile.Member(b, Map.of("seed", "2")), new TransferEnsembleFile.Member(c, Map.of())), Map.of("command", "test"));

        List<TransferEnsembleFile.Member> back = TransferEnsembleFile.members(file);
        assertThat(back).hasSize(3);
        TransferModel[] originals = {a, b, c};
        for (int i = 0; i < 3; i++) {
            TransferModel o = originals[i], r = back.get(i).model();
            assertThat(r.sizes()).isEqualTo(o.sizes());
            o.parameters().forEach((name, t) -> assertThat(Tensors.toFloats(r.parameters().get(name))).as(name).containsExactly(Tensors.toFloats(t)));
        }
        assertThat(back.get(0).provenance()).containsEntry("seed", "1").containsEntry("validationLoss", "0.5");
        assertThat(back.get(1).provenance()).containsEntry("seed", "2").containsEntry("patterns", "3").doesNotContainKey("validationLoss");

        TransferModule ensemble = TransferEnsembleFile.read(file);
        assertThat(ensemble).isInstanceOf(TransferEnsemble.class);
        assertThat(ensemble.parameterCount()).isEqualTo(a.parameterCount() + b.parameterCount() + c.parameterCount());
        float[] pa = a.predict(F, SAMPLE.drivers()), pb = b.predict(F, SAMPLE.drivers()), pc = c.predict(F, SAMPLE.drivers());
        float[] mean = ensemble.predict(F, SAMPLE.drivers());
        double spread = 0;
        for (int i = 0; i < mean.length; i++) {
            assertThat((double) mean[i]).isCloseTo((pa[i] + (double) pb[i] + pc[i]) / 3, org.assertj.core.data.Offset.offset(1e-9));
            spread = Math.max(spread, Math.abs(pa[i] - pb[i]));
        }
        assertThat(spread).as("the members differ, so the mean is not any one of them").isGreaterThan(1e-6);
    }

    @Test
    void aModuleFileIsReadAsItselfAndAnEnsembleOfEnsemblesFlattens(@TempDir Path dir) {
        TransferModel a = module(1, 0), b = module(2, 0);
        Path single = dir.resolve("a.safetensors"), pair = dir.resolve("pair.safetensors");
        TransferModelFile.write(single, a, Map.of("seed", "1"));
        TransferModule one = TransferEnsembleFile.read(single);
        assertThat(one).isInstanceOf(TransferModel.class);
        assertThat(one.predict(F, SAMPLE.drivers())).containsExactly(a.predict(F, SAMPLE.drivers()));
        assertThat(TransferEnsembleFile.members(single).get(0).provenance()).containsEntry("seed", "1");

        TransferEnsembleFile.write(pair, List.of(TransferEnsembleFile.members(single).get(0), new TransferEnsembleFile.Member(b, Map.of())), Map.of());
        List<TransferEnsembleFile.Member> again = TransferEnsembleFile.members(pair);
        Path nested = dir.resolve("nested.safetensors");
        TransferEnsembleFile.write(nested, List.of(again.get(0), again.get(1), TransferEnsembleFile.members(single).get(0)), Map.of());
        assertThat(TransferEnsembleFile.members(nested)).hasSize(3);
        assertThat(TransferEnsembleFile.members(nested).get(0).provenance()).containsEntry("seed", "1");
    }

    @Test
    void membersForDifferentMeshesAreRefusedAndAnEnsembleIsNotReadAsOneModule(@TempDir Path dir) throws Exception {
        TransferModel level0 = module(1, 0);
        TransferModel level1 = new TransferModel(TransferFixture.MODEL.name(), 1, TransferFixture.quick(1).sizes(), 2);
        assertThatThrownBy(() -> TransferEnsembleFile.write(dir.resolve("x.safetensors"), List.of(new TransferEnsembleFile.Member(level0, Map.of()),
                new TransferEnsembleFile.Member(level1, Map.of())), Map.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("level 1");
        assertThat(dir.resolve("x.safetensors")).doesNotExist();

        Path file = dir.resolve("e.safetensors");
        TransferEnsembleFile.write(file, List.of(new TransferEnsembleFile.Member(level0, Map.of()), new TransferEnsembleFile.Member(module(2, 0), Map.of())), Map.of());
        assertThatThrownBy(() -> TransferModelFile.read(file)).isInstanceOf(InputException.class)
                .hasMessageContaining("e.safetensors").hasMessageContaining("ensemble of 2");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> TransferEnsembleFile.read(file)).isInstanceOf(InputException.class).hasMessageContaining("e.safetensors");
        assertThatThrownBy(() -> TransferEnsembleFile.read(dir.resolve("missing.safetensors"))).isInstanceOf(InputException.class)
                .hasMessageContaining("missing.safetensors");
    }
}
