package dev.expportrait.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random small float arrays (0-d to 4-d, axes of length 0 to 4) survive every file format. */
class NdArrayRoundTripPropertyTest {

    @Provide
    Arbitrary<NdArray> floatArrays() {
        return Arbitraries.longs().between(0, 4).list().ofMaxSize(4).flatMap(shape -> {
            long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
            int n = Math.toIntExact(NdArray.numel(dims));
            return Arbitraries.floats().list().ofSize(n).map(values -> {
                float[] data = new float[n];
                for (int i = 0; i < n; i++) {
                    data[i] = values.get(i);
                }
                // explicit shape: an empty dims array must mean a 0-d scalar here, not the 1-D default
                return new NdArray(DType.F32, dims, NdArray.ofFloats(data).data());
            });
        });
    }

    @Property(tries = 60)
    void npzRoundTrip(@ForAll("floatArrays") NdArray a, @ForAll("floatArrays") NdArray b, @ForAll boolean compressed) {
        Map<String, NdArray> arrays = Map.of("a", a, "b", b);
        withTempFile(".npz", p -> {
            Npz.write(p, arrays, compressed);
            try (NpzFile npz = Npz.open(p)) {
                assertThat(npz.get("a")).isEqualTo(a);
                assertThat(npz.get("b")).isEqualTo(b);
                assertThat(npz.get("a").shape()).containsExactly(a.shape());
            }
            return null;
        });
    }

    @Property(tries = 60)
    void safeTensorsRoundTrip(@ForAll("floatArrays") NdArray a, @ForAll("floatArrays") NdArray b) {
        withTempFile(".safetensors", p -> {
            SafeTensors.write(p, Map.of("a", a, "b", b), Map.of("shape", Arrays.toString(a.shape())));
            try (SafeTensorsFile st = SafeTensors.read(p)) {
                assertThat(st.get("a")).isEqualTo(a);
                assertThat(st.get("b")).isEqualTo(b);
                assertThat(st.get("a").toFloatArray()).containsExactly(a.toFloatArray());
            }
            return null;
        });
    }

    /** jqwik has no @TempDir: a fresh file per try, always deleted. */
    private static void withTempFile(String suffix, Function<Path, Void> body) {
        try {
            Path dir = Files.createTempDirectory("ndarray-prop");
            Path p = dir.resolve("t" + suffix);
            try {
                body.apply(p);
            } finally {
                Files.deleteIfExists(p);
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
