package dev.expportrait.transfer;

import dev.expportrait.tensor.Parameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import java.util.Random;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class GeometryMlpTest {
    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    @Test
    void vertexWise_eachOffsetDependsOnItsOwnVertexAndItsFramesCodeOnly() {
        int b = 2, n = 5, f = 6, c = 3;
        Parameters p = new Parameters(9);
        GeometryMlp g = new GeometryMlp(p, f, 10, c, 3, 1, 0);
        Random r = new Random(4);
        // FiLM starts as the identity; give it weights so the code matters.
        p.all().forEach((name, t) -> {
            if (name.contains("film")) p.load(name, random(r, (int) t.numel()));
        });
        float[] x = random(r, b * n * f), codes = random(r, b * c);
        try (NoGradGuard guard = new NoGradGuard()) {
            float[] all = Tensors.toFloats(g.offsets(Tensors.floats(x, b, n, f), Tensors.floats(codes, b, c)));
            for (int fr = 0; fr < b; fr++) {
                for (int v = 0; v < n; v++) {
                    float[] one = new float[f];
                    System.arraycopy(x, (fr * n + v) * f, one, 0, f);
                    float[] code = new float[c];
                    System.arraycopy(codes, fr * c, code, 0, c);
                    float[] alone = Tensors.toFloats(g.offsets(Tensors.floats(one, 1, 1, f), Tensors.floats(code, 1, c)));
                    for (int k = 0; k < 3; k++) assertThat(all[(fr * n + v) * 3 + k]).isCloseTo(alone[k], within(1e-5f));
                }
            }
            // Another code changes the offsets (FiLM is wired in).
            float[] other = Tensors.toFloats(g.offsets(Tensors.floats(x, b, n, f), Tensors.floats(random(r, b * c), b, c)));
            double diff = 0;
            for (int i = 0; i < all.length; i++) diff = Math.max(diff, Math.abs(all[i] - other[i]));
            assertThat(diff).isGreaterThan(1e-4);
        }
    }

    @Test
    void atInitialisationTheCodeHasNoEffect() {
        GeometryMlp g = new GeometryMlp(new Parameters(1), 4, 8, 2, 2, 3, 0);
        Random r = new Random(2);
        Tensor x = Tensors.floats(random(r, 12), 1, 3, 4);
        try (NoGradGuard guard = new NoGradGuard()) {
            float[] a = Tensors.toFloats(g.offsets(x, Tensors.floats(new float[] {5, -3}, 1, 2)));
            float[] b = Tensors.toFloats(g.offsets(x, Tensors.floats(new float[] {0, 0}, 1, 2)));
            assertThat(a).containsExactly(b);
        }
    }

    @Test
    void theSeparableTermStartsAbsentThenAddsOnePatternPerVertexScaledByAnAmplitudeOfTheCode() {
        int b = 3, n = 7, f = 5, c = 4;
        Random r = new Random(6);
        Parameters plainP = new Parameters(3), withP = new Parameters(3);
        GeometryMlp plain = new GeometryMlp(plainP, f, 8, c, 2, 1, 0), with = new GeometryMlp(withP, f, 8, c, 2, 1, 1);
        plainP.all().forEach((name, t) -> {
            if (name.contains("film")) {
                float[] v = random(r, (int) t.numel());
                plainP.load(name, v);
                withP.load(name, v);
            }
        });
        Tensor x = Tensors.floats(random(r, b * n * f), b, n, f), codes = Tensors.floats(random(r, b * c), b, c);
        try (NoGradGuard guard = new NoGradGuard()) {
            float[] base = Tensors.toFloats(plain.offsets(x, codes));
            assertThat(Tensors.toFloats(with.offsets(x, codes))).containsExactly(base); // the amplitudes start at zero
            withP.load("geometry.amplitude.weight", random(r, c));
            withP.load("geometry.amplitude.bias", random(r, 1));
            float[] added = Tensors.toFloats(with.offsets(x, codes));
            // Every frame of every batch element sees the same features here: copy frame 0's to all, so P(x) is shared.
            Tensor same = x.narrow(0, 0, 1).expand(b, n, f).contiguous();
            float[] d = Tensors.toFloats(with.offsets(same, codes).sub(plain.offsets(same, codes)));
            // One pattern: frame i's extra offsets are alpha(c_i) P(x), so frames differ by one factor at every vertex.
            for (int fr = 1; fr < b; fr++) {
                double ratio = d[fr * n * 3] / d[0];
                for (int i = 0; i < n * 3; i++) assertThat((double) d[fr * n * 3 + i]).isCloseTo(ratio * d[i], within(1e-5 + 1e-4 * Math.abs(d[i])));
            }
            double change = 0;
            for (int i = 0; i < base.length; i++) change = Math.max(change, Math.abs(added[i] - base[i]));
            assertThat(change).isGreaterThan(1e-3);
        }
    }
}
