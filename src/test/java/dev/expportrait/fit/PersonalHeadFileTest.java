package dev.expportrait.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expportrait.io.InputException;
import dev.expportrait.io.NdArray;
import dev.expportrait.io.SafeTensors;
import dev.expportrait.io.SafeTensorsFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersonalHeadFileTest {
    @TempDir
    Path dir;

    @Test
    void aWrittenHeadReadsBackExactly() {
        PersonalHead h = PersonalHeadTest.random(PersonalHeadTest.MODEL.name(), 3, 11);
        Path file = dir.resolve("subject.head");
        PersonalHeadFile.write(file, h, Map.of("command", "expportrait fit", "format", "ignored"));
        PersonalHead back = PersonalHeadFile.read(file);
        assertThat(back.model()).isEqualTo(h.model());
        assertThat(back.level()).isEqualTo(h.level());
        assertThat(back.fps()).isEqualTo(h.fps());
        assertThat(back.source()).isEqualTo(h.source());
        assertThat(back.width()).isEqualTo(h.width());
        assertThat(back.height()).isEqualTo(h.height());
        assertThat(back.numShape()).isEqualTo(h.numShape());
        assertThat(back.numExpression()).isEqualTo(h.numExpression());
        assertThat(back.numJoints()).isEqualTo(h.numJoints());
        assertThat(Arrays.equals(back.betas(), h.betas())).isTrue();
        assertThat(Arrays.equals(back.expression(), h.expression())).isTrue();
        assertThat(Arrays.equals(back.pose(), h.pose())).isTrue();
        assertThat(Arrays.equals(back.translation(), h.translation())).isTrue();
        assertThat(Arrays.equals(back.intrinsics(), h.intrinsics())).isTrue();
        assertThat(Arrays.equals(back.rotation(), h.rotation())).isTrue();
        assertThat(Arrays.equals(back.cameraTranslation(), h.cameraTranslation())).isTrue();
        assertThat(Arrays.equals(back.identityOffsets(), h.identityOffsets())).isTrue();
        assertThat(Arrays.equals(back.faceVertices(), h.faceVertices())).isTrue();
        assertThat(Arrays.equals(back.expressionOffsets(), h.expressionOffsets())).isTrue();
        assertThat(back.losses()).isEqualTo(h.losses()); // NaN included: Double.equals treats NaN as equal to itself
        try (SafeTensorsFile st = SafeTensors.read(file)) {
            assertThat(st.metadata()).containsEntry("format", PersonalHeadFile.FORMAT).containsEntry("version", PersonalHeadFile.VERSION)
                    .containsEntry("frames", "3").containsEntry("command", "expportrait fit");
        }
    }

    @Test
    void anotherFormatIsRefusedNamingTheFile() {
        Path file = dir.resolve("clip.safetensors");
        SafeTensors.write(file, Map.of("betas", NdArray.ofFloats(new float[3])), Map.of("format", "expportrait.synth-clip", "version", "1"));
        assertThatThrownBy(() -> PersonalHeadFile.read(file)).isInstanceOf(InputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("expportrait.synth-clip");
    }

    @Test
    void inconsistentShapesAreRefusedNamingTheFile() {
        PersonalHead h = PersonalHeadTest.random(PersonalHeadTest.MODEL.name(), 2, 12);
        Path file = dir.resolve("bad.head");
        PersonalHeadFile.write(file, h, Map.of());
        ClipObservationsTest.rewriteSafeTensors(file, (arrays, meta) -> meta.put("frames", "3"));
        assertThatThrownBy(() -> PersonalHeadFile.read(file)).isInstanceOf(InputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("expression");

        ClipObservationsTest.rewriteSafeTensors(file, (arrays, meta) -> {
            meta.put("frames", "2");
            arrays.put("faceVertices", NdArray.ofInts(new int[] {0, 1}));
        });
        assertThatThrownBy(() -> PersonalHeadFile.read(file)).isInstanceOf(InputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("expressionOffsets");
    }
}
