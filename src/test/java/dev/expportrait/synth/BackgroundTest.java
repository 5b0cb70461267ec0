package dev.expportrait.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackgroundTest {
    static final float[] DARK = {0.1f, 0.2f, 0.3f}, LIGHT = {0.8f, 0.7f, 0.9f};
    static final int W = 48, H = 40;

    @Test
    void solidIsOneColour() {
        float[] img = new Background(Background.Kind.SOLID, DARK, LIGHT, 0.2, 1).image(W, H);
        for (int p = 0; p < W * H; p++) {
            assertThat(Arrays.copyOfRange(img, 3 * p, 3 * p + 3)).isEqualTo(DARK);
        }
    }

    @Test
    void aVerticalGradientRunsMonotonicallyFromTopToBottomAndIsConstantAcross() {
        float[] img = new Background(Background.Kind.VERTICAL, DARK, LIGHT, 0.2, 1).image(W, H);
        for (int c = 0; c < 3; c++) {
            double sign = Math.signum(LIGHT[c] - DARK[c]);
            for (int y = 1; y < H; y++) {
                assertThat(sign * (img[3 * (y * W) + c] - img[3 * ((y - 1) * W) + c])).isGreaterThan(0);
                for (int x = 1; x < W; x++) assertThat(img[3 * (y * W + x) + c]).isEqualTo(img[3 * (y * W) + c]);
            }
            assertThat(img[c]).isCloseTo(DARK[c], org.assertj.core.api.Assertions.within(0.02f));
            assertThat(img[3 * (H * W - 1) + c]).isCloseTo(LIGHT[c], org.assertj.core.api.Assertions.within(0.02f));
        }
    }

    @Test
    void aDiagonalGradientRisesAlongBothAxes() {
        float[] img = new Background(Background.Kind.DIAGONAL, DARK, LIGHT, 0.2, 1).image(W, H);
        for (int y = 1; y < H; y++) {
            for (int x = 1; x < W; x++) {
                int p = 3 * (y * W + x);
                assertThat(img[p]).isGreaterThan(img[3 * (y * W + x - 1)]).isGreaterThan(img[3 * ((y - 1) * W + x - 1)]);
                assertThat(img[p]).isGreaterThan(img[3 * ((y - 1) * W + x)]);
            }
        }
    }

    @Test
    void aTexturedBackgroundHasSmoothBlobsOfBothColours() {
        float[] img = new Background(Background.Kind.TEXTURED, DARK, LIGHT, 0.2, 7).image(W, H);
        double lo = 1, hi = 0, step = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double t = (img[3 * (y * W + x)] - DARK[0]) / (LIGHT[0] - DARK[0]);
                assertThat(t).isBetween(-1e-6, 1 + 1e-6);
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
                if (x > 0) step = Math.max(step, Math.abs(img[3 * (y * W + x)] - img[3 * (y * W + x - 1)]));
            }
        }
        assertThat(lo).isLessThan(0.2);
        assertThat(hi).isGreaterThan(0.8);
        assertThat(step).as("largest step between neighbours").isLessThan(0.5 * (LIGHT[0] - DARK[0]));
        assertThat(Arrays.equals(img, new Background(Background.Kind.TEXTURED, DARK, LIGHT, 0.2, 7).image(W, H))).isTrue();
    }

    @Test
    void everyKindIsDrawn() {
        Random r = new Random(3);
        Set<Background.Kind> kinds = EnumSet.noneOf(Background.Kind.class);
        for (int i = 0; i < 40; i++) kinds.add(Background.sample(r).kind());
        assertThat(kinds).containsExactlyInAnyOrder(Background.Kind.values());
    }
}
