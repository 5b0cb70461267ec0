package dev.expportrait.transfer;

import static dev.expportrait.transfer.TransferFixture.FEATURES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expportrait.io.InputException;
import dev.expportrait.io.NdArray;
import dev.expportrait.io.SafeTensors;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferModelFileTest {
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 3})
    void weightsRoundTripExactlyAndPredictTheSame(int patterns, @TempDir Path dir) {
        TransferModel m = new TransferModel(TransferFixture.MODEL.name(), 0, TransferFixture.quick(1).sizes().withPatterns(patterns), 42);
        // Make FiLM non-trivial so the codes matter in the comparison.
        m.parameters().forEach((name, t) -> {
            float[] v = Tensors.toFloats(t);
            for (int i = 0; i < v.length; i++) v[i] += (float) Math.sin(i + name.length());
            m.load(name, v);
        });
        Path file = dir.resolve("t.safetensors");
        TransferModelFile.write(file, m, Map.of("command", "test"));
        TransferModel back = TransferModelFile.read(file);
        assertThat(back.sizes()).isEqualTo(m.sizes());
        assertThat(back.headModel()).isEqualTo(m.headModel());
        m.parameters().forEach((name, t) -> assertThat(Tensors.toFloats(back.parameters().get(name))).as(name).containsExactly(Tensors.toFloats(t)));
        TransferSample s = TransferFixture.samples(7, 1, 5).get(0);
        var f = FEATURES.of(s.betas(), s.identityOffsets(), s.faceVertices());
        assertThat(back.predict(f, s.drivers())).containsExactly(m.predict(f, s.drivers()));
    }

    @Test
    void otherFilesAreRefusedWithTheirName(@TempDir Path dir) throws Exception {
        Path other = dir.resolve("other.safetensors");
        SafeTensors.write(other, Map.of("x", NdArray.ofFloats(new float[] {1}, 1)), Map.of("format", "something-else", "version", "1"));
        assertThatThrownBy(() -> TransferModelFile.read(other)).isInstanceOf(InputException.class)
                .hasMessageContaining("other.safetensors").hasMessageContaining("expected " + TransferModelFile.FORMAT);
        assertThatThrownBy(() -> TransferModelFile.read(dir.resolve("missing.safetensors"))).isInstanceOf(InputException.class)
                .hasMessageContaining("missing.safetensors");
        Path cut = dir.resolve("cut.safetensors");
        TransferModelFile.write(cut, new TransferModel("builtin", 0, TransferFixture.quick(1).sizes(), 1), Map.of());
        byte[] bytes = Files.readAllBytes(cut);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> TransferModelFile.read(cut)).isInstanceOf(InputException.class).hasMessageContaining("cut.safetensors");
    }
}
