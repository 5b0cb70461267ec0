package dev.expportrait.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: random small float arrays (0-d to 4-d, axes of length 0 to 4, values including signed zeros,
 * infinities, NaN and subnormals) survive every file format bit for bit. Seeded, so a failure repeats.
 */
class NdArrayRoundTripPropertyTest {
    private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_NORMAL, Float.MAX_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-30f, -123456.78f};

    static NdArray randomFloatArray(Random r) {
        long[] dims = new long[r.nextInt(5)];
        for (int i = 0; i < dims.length; i++) dims[i] = r.nextInt(5);
        int n = Math.toIntExact(NdArray.numel(dims));
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = r.nextInt(4) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
        }
        // explicit shape: an empty dims array must mean a 0-d scalar here, not the 1-D default
        return new NdArray(DType.F32, dims, NdArray.ofFloats(data).data());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void npzRoundTrip(long seed, @TempDir Path dir) {
        Random r = new Random(seed);
        NdArray a = randomFloatArray(r), b = randomFloatArray(r);
        Path p = dir.resolve("t.npz");
        Npz.write(p, Map.of("a", a, "b", b), r.nextBoolean());
        try (NpzFile npz = Npz.open(p)) {
            assertThat(npz.get("a")).isEqualTo(a);
            assertThat(npz.get("b")).isEqualTo(b);
            assertThat(npz.get("a").shape()).containsExactly(a.shape());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void safeTensorsRoundTrip(long seed, @TempDir Path dir) {
        Random r = new Random(seed);
        NdArray a = randomFloatArray(r), b = randomFloatArray(r);
        Path p = dir.resolve("t.safetensors");
        SafeTensors.write(p, Map.of("a", a, "b", b), Map.of("shape", Arrays.toString(a.shape())));
        try (SafeTensorsFile st = SafeTensors.read(p)) {
            assertThat(st.get("a")).isEqualTo(a);
            assertThat(st.get("b")).isEqualTo(b);
            assertThat(st.metadata()).containsEntry("shape", Arrays.toString(a.shape()));
        }
    }
}
