package dev.expportrait.transfer;

import dev.expportrait.tensor.Parameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import java.util.Random;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionEncoderTest {
    private static float[] codes(ExpressionEncoder e, float[] drivers, int t, int d) {
        try (NoGradGuard g = new NoGradGuard()) {
            return Tensors.toFloats(e.encode(Tensors.floats(drivers, 1, t, d)));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 5})
    void aFrameReachesOnlyTheCodesWithinTheReceptiveField(int kernel) {
        int t = 20, d = 7, code = 4;
        ExpressionEncoder e = new ExpressionEncoder(new Parameters(5), d, 6, code, kernel);
        Random r = new Random(1);
        float[] x = new float[t * d];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        float[] before = codes(e, x, t, d);
        int changed = 10;
        for (int k = 0; k < d; k++) x[changed * d + k] += 0.5f;
        float[] after = codes(e, x, t, d);
        // Two convolutions of kernel k: frame 10 reaches codes 10 - (k - 1) .. 10 + (k - 1) and no others (kernel 1: its own alone).
        for (int f = 0; f < t; f++) {
            double diff = 0;
            for (int c = 0; c < code; c++) diff = Math.max(diff, Math.abs(after[f * code + c] - before[f * code + c]));
            if (Math.abs(f - changed) <= kernel - 1) {
                assertThat(diff).as("frame %d", f).isGreaterThan(1e-6);
            } else {
                assertThat(diff).as("frame %d", f).isZero();
            }
        }
    }

    @Test
    void aConstantSequenceGivesTheSameCodeEveryFrame() {
        int t = 9, d = 5, code = 3;
        ExpressionEncoder e = new ExpressionEncoder(new Parameters(2), d, 8, code, 5);
        float[] x = new float[t * d];
        for (int f = 0; f < t; f++) for (int k = 0; k < d; k++) x[f * d + k] = 0.1f * (k + 1);
        float[] c = codes(e, x, t, d);
        // The ends repeat the edge frame, so a still face has one code whatever the frame.
        for (int f = 1; f < t; f++) for (int k = 0; k < code; k++) assertThat(c[f * code + k]).isCloseTo(c[k], within(1e-6f));
    }
}
