package dev.expportrait.io;

import static dev.expportrait.io.HandBuilt.bytes;
import static dev.expportrait.io.HandBuilt.safetensors;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private Path file(byte[] content) throws IOException {
        Path p = dir.resolve("model.safetensors");
        Files.write(p, content);
        return p;
    }

    @Test
    void roundTripsEveryDtypeAndTheMetadata() {
        Map<String, NdArray> tensors = Samples.numeric();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("odd \"key\"\\", "line\nbreak\ttab \u0001 é 𝄞");
        Path p = dir.resolve("all.safetensors");
        SafeTensors.write(p, tensors, metadata);
        try (SafeTensorsFile st = SafeTensors.read(p)) {
            assertThat(st.metadata()).isEqualTo(metadata);
            assertThat(st.keys()).containsExactlyInAnyOrderElementsOf(tensors.keySet());
            for (Map.Entry<String, NdArray> e : tensors.entrySet()) {
                assertThat(st.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void writesTheReferenceLayout() throws IOException {
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        tensors.put("a", NdArray.ofFloats(new float[] {1, 2}));
        tensors.put("m", NdArray.ofBools(new boolean[] {true}));
        tensors.put("b", NdArray.ofDoubles(new double[] {3}));
        Path p = dir.resolve("layout.safetensors");
        SafeTensors.write(p, tensors, Map.of("format", "pt"));

        // largest elements first, then by name: every tensor starts at a multiple of its element size
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"m\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[16,17]}}";
        String padded = json + " ".repeat((8 - json.length() % 8) % 8);
        byte[] data = bytes(LITTLE_ENDIAN, b -> b.putDouble(3).putFloat(1).putFloat(2).put((byte) 1));
        assertThat(Files.readAllBytes(p)).isEqualTo(safetensors(padded, data));
        try (SafeTensorsFile st = SafeTensors.read(p)) {
            assertThat(st.keys()).containsExactly("b", "a", "m");
        }
    }

    @Test
    void readsAHandWrittenFile() throws IOException {
        String json = "{ \"w\\u00e9\" : {\"dtype\": \"I32\", \"shape\": [2, 1], \"data_offsets\": [8, 16]},\n"
                + "  \"h\": {\"dtype\": \"F16\", \"shape\": [], \"data_offsets\": [0, 2]},"
                + "  \"__metadata__\": {\"note\": \"a\\\"b\\n\"} }";
        byte[] data = bytes(LITTLE_ENDIAN, b -> b.putShort((short) 0x3c00).putShort((short) 0).putInt(0).putInt(7).putInt(-7));
        try (SafeTensorsFile st = SafeTensors.read(file(safetensors(json, data)))) {
            assertThat(st.metadata()).containsExactly(Map.entry("note", "a\"b\n"));
            assertThat(st.keys()).containsExactly("wé", "h");
            assertThat(st.get("wé").shape()).containsExactly(2, 1);
            assertThat(st.get("wé").toIntArray()).containsExactly(7, -7);
            assertThat(st.get("h").ndim()).isZero();
            assertThat(st.get("h").toFloatArray()).containsExactly(1f);
        }
    }

    @Test
    void missingTensorListsTheNames() throws IOException {
        Path p = dir.resolve("one.safetensors");
        SafeTensors.write(p, Map.of("x", NdArray.ofInts(new int[] {1})), Map.of());
        try (SafeTensorsFile st = SafeTensors.read(p)) {
            assertThat(st.metadata()).isEmpty();
            assertThatThrownBy(() -> st.get("y")).isInstanceOf(InputException.class).hasMessage(p + ": no tensor 'y' (has: x)");
        }
    }

    @Test
    void refusesInvalidHeaders() throws IOException {
        byte[] eight = new byte[8];
        Map<byte[], String> cases = new LinkedHashMap<>();
        cases.put(ByteBuffer.allocate(16).order(LITTLE_ENDIAN).putLong(1000).array(), "header length 1000 exceeds the file size 16");
        cases.put(ByteBuffer.allocate(16).order(LITTLE_ENDIAN).putLong(-1).array(), "header length 18446744073709551615 exceeds");
        cases.put(new byte[5], "too short");
        cases.put(safetensors("{\"a\": {\"dtype\": \"F32\"", eight), "not valid JSON");
        cases.put(safetensors("{\"a\": 1, \"a\": 2}", eight), "duplicate key");
        cases.put(safetensors("[1, 2]", eight), "not a JSON object");
        cases.put(safetensors("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [2, 6]}}", eight), "tensors 'a' and 'b' overlap");
        cases.put(safetensors("{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", eight),
                "tensor 'a': shape [3] of F32 needs 12 bytes but data_offsets span 8");
        cases.put(safetensors("{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", eight),
                "data_offsets [0, 16] out of range (buffer has 8 bytes)");
        cases.put(safetensors("{\"a\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [4, 0]}}", eight), "out of range");
        cases.put(safetensors("{\"a\": {\"dtype\": \"F8_E4M3\", \"shape\": [8], \"data_offsets\": [0, 8]}}", eight),
                "tensor 'a': unsupported dtype 'F8_E4M3'");
        cases.put(safetensors("{\"a\": {\"dtype\": \"F32\", \"shape\": [-2], \"data_offsets\": [0, 8]}}", eight), "shape");
        cases.put(safetensors("{\"a\": {\"dtype\": \"F32\", \"shape\": [2]}}", eight), "data_offsets");
        cases.put(safetensors("{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 8]}}", eight), "shape");
        cases.put(safetensors("{\"__metadata__\": {\"k\": 1}}", eight), "__metadata__ value of 'k' is not a string");
        cases.put(safetensors("{\"a\\n\": {\"dtype\": \"X\", \"shape\": [], \"data_offsets\": [0, 0]}}", eight), "unsupported dtype");
        byte[] badUtf8 = safetensors("{\"a\": 1}", eight);
        badUtf8[10] = (byte) 0xC3;
        cases.put(badUtf8, "not valid UTF-8");
        for (Map.Entry<byte[], String> c : cases.entrySet()) {
            Path p = file(c.getKey());
            Throwable t = catchThrowable(() -> SafeTensors.read(p).close());
            assertThat(t).as(c.getValue()).isInstanceOf(InputException.class)
                    .hasMessageStartingWith(p + ": ").hasMessageContaining(c.getValue());
            assertThat(t.getMessage()).doesNotContain("\n");
        }
    }

    @Test
    void refusesDeeplyNestedJsonWithoutOverflowingTheStack() throws IOException {
        Path p = file(safetensors("[".repeat(100_000), new byte[0]));
        assertThatThrownBy(() -> SafeTensors.read(p)).isInstanceOf(InputException.class).hasMessageContaining("nested too deeply");
    }

    @Test
    void everyTruncationIsAnInputException() throws IOException {
        Path full = dir.resolve("full.safetensors");
        SafeTensors.write(full, Map.of("a", NdArray.ofInts(new int[] {1, 2, 3}), "b", NdArray.ofFloats(new float[] {4})),
                Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.safetensors");
        for (int n = 0; n < bytes.length; n++) {
            Files.write(cut, Arrays.copyOf(bytes, n));
            assertThatThrownBy(() -> SafeTensors.read(cut).close()).as("cut at %d", n)
                    .isInstanceOf(InputException.class).hasMessageStartingWith(cut + ": ");
        }
    }

    @Test
    void randomBytesAndMissingFilesAreInputExceptions() throws IOException {
        Random random = new Random(3);
        for (int i = 0; i < 100; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            if (i % 2 == 0 && junk.length >= 8) {
                // a plausible length, so the JSON parser sees random text
                ByteBuffer.wrap(junk).order(LITTLE_ENDIAN).putLong(junk.length - 8);
            }
            Path p = file(junk);
            assertThatThrownBy(() -> SafeTensors.read(p).close()).isInstanceOf(InputException.class)
                    .hasMessageStartingWith(p + ": ");
        }
        Path missing = dir.resolve("none.safetensors");
        assertThatThrownBy(() -> SafeTensors.read(missing)).isInstanceOf(InputException.class).hasMessage(missing + ": no such file");
    }

    @Test
    void refusesToWriteWhatSafetensorsCannotHold() {
        Path p = dir.resolve("bad.safetensors");
        assertThatThrownBy(() -> SafeTensors.write(p, Map.of("s", NdArray.ofStrings(List.of("x"))), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'s'");
        assertThatThrownBy(() -> SafeTensors.write(p, Map.of("__metadata__", NdArray.ofInts(new int[] {1})), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(p).doesNotExist();
    }
}
