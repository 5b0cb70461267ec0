package dev.expportrait.transfer;

import static dev.expportrait.transfer.TransferFixture.HEAD;
import static dev.expportrait.transfer.TransferFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expportrait.fit.PersonalHead;
import dev.expportrait.fit.PersonalHeadFile;
import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.io.InputException;
import dev.expportrait.render.Framing;
import dev.expportrait.synth.Identities;
import dev.expportrait.synth.Identity;
import dev.expportrait.synth.NeutralMesh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingHeadsTest {
    private static PersonalHead groundTruth(long seed) {
        Identity id = Identities.sample(seed, MODEL);
        return SyntheticSamples.head(HEAD, id, TransferFixture.expressive(seed, 4), Framing.face(NeutralMesh.of(id, HEAD).landmarks(), 64), "id " + seed);
    }

    @Test
    void headFilesInNestedFoldersAreFoundAndReadBack(@TempDir Path dir) throws Exception {
        PersonalHead a = groundTruth(1), b = groundTruth(2);
        PersonalHeadFile.write(dir.resolve("x/a.head"), a, Map.of());
        PersonalHeadFile.write(dir.resolve("x/y/b.head"), b, Map.of());
        Files.writeString(dir.resolve("x/notes.txt"), "not a head");
        List<TransferSample> s = TrainingHeads.load(List.of(dir), HEAD, null);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).expressionOffsets()).containsExactly(a.expressionOffsets());
        assertThat(s.get(1).betas()).containsExactly(b.betas());
        // The jaw comes out of the pose.
        assertThat(s.get(0).jaw()).containsExactly(TransferSample.of(a).jaw());
        assertThat(TransferSample.of(a).drivers()).hasSize(4 * (MODEL.numExpression() + 3));
    }

    @Test
    void headsOfAnotherLevelOrNoHeadsAreRefusedNamingThePath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("level0.head");
        PersonalHeadFile.write(file, groundTruth(3), Map.of());
        DenseHead level1 = new DenseHead(MODEL, HeadSubset.select(MODEL), 1, ScalarType.Float);
        assertThatThrownBy(() -> TrainingHeads.load(List.of(file), level1, null)).isInstanceOf(InputException.class)
                .hasMessageContaining("level0.head").hasMessageContaining("level 1");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> TrainingHeads.load(List.of(empty), HEAD, null)).isInstanceOf(InputException.class)
                .hasMessageContaining("empty").hasMessageContaining("no .head files");
        assertThatThrownBy(() -> TrainingHeads.load(List.of(dir.resolve("nowhere")), HEAD, null)).isInstanceOf(InputException.class)
                .hasMessageContaining("nowhere");
    }
}
