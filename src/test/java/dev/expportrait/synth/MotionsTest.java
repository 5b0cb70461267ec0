package dev.expportrait.synth;

import static dev.expportrait.synth.SynthFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.expportrait.head.Joints;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MotionsTest {
    private static final double FPS = 25;
    private static final int FRAMES = 250; // 10 s

    @Test
    void sameSeedGivesTheSameMotionAndDifferentSeedsDiffer() {
        Motion a = Motions.sample(3, MODEL, FRAMES, FPS), b = Motions.sample(3, MODEL, FRAMES, FPS);
        Motion c = Motions.sample(4, MODEL, FRAMES, FPS);
        assertThat(Arrays.equals(a.expression(), b.expression())).isTrue();
        assertThat(Arrays.equals(a.pose(), b.pose())).isTrue();
        assertThat(Arrays.equals(a.translation(), b.translation())).isTrue();
        assertThat(Arrays.equals(a.expression(), c.expression())).isFalse();
        assertThat(Arrays.equals(a.pose(), c.pose())).isFalse();
    }

    @Test
    void shapesMatchTheModel() {
        Motion m = Motions.sample(1, MODEL, FRAMES, FPS);
        assertThat(m.frames()).isEqualTo(FRAMES);
        assertThat(m.numExpression()).isEqualTo(MODEL.numExpression());
        assertThat(m.numJoints()).isEqualTo(MODEL.numJoints());
        assertThat(m.fps()).isEqualTo(FPS);
    }

    @Test
    void coefficientsAreFiniteAndWithinZeroAndOne() {
        for (long seed = 0; seed < 10; seed++) {
            Motion m = Motions.sample(seed, MODEL, FRAMES, FPS);
            for (float v : m.expression()) assertThat(v).isBetween(0f, 1f);
            for (float v : m.pose()) assertThat(Float.isFinite(v)).isTrue();
            for (float v : m.translation()) assertThat(Math.abs(v)).isLessThanOrEqualTo(0.004f);
            for (int t = 0; t < FRAMES; t++) assertThat(m.jointAt(t, Joints.JAW)[0]).isBetween(0f, 0.3f);
        }
    }

    @Test
    void motionIsSmoothFromFrameToFrame() {
        int blinkLeft = MODEL.expressionNames().indexOf("eyeBlinkLeft"), blinkRight = MODEL.expressionNames().indexOf("eyeBlinkRight");
        for (long seed = 0; seed < 10; seed++) {
            Motion m = Motions.sample(seed, MODEL, FRAMES, FPS);
            int e = m.numExpression();
            for (int t = 1; t < FRAMES; t++) {
                for (int k = 0; k < e; k++) {
                    if (k != blinkLeft && k != blinkRight) {
                        assertThat(Math.abs(m.expression()[t * e + k] - m.expression()[(t - 1) * e + k])).isLessThanOrEqualTo(0.2f);
                    }
                }
                assertThat(Math.abs(m.jointAt(t, Joints.JAW)[0] - m.jointAt(t - 1, Joints.JAW)[0])).isLessThanOrEqualTo(0.25f);
                for (int joint : new int[] {Joints.NECK, Joints.HEAD}) {
                    for (int c = 0; c < 3; c++) {
                        assertThat(Math.abs(m.jointAt(t, joint)[c] - m.jointAt(t - 1, joint)[c])).isLessThanOrEqualTo(0.05f);
                    }
                }
                for (int c = 0; c < 3; c++) {
                    assertThat(Math.abs(m.translation()[t * 3 + c] - m.translation()[(t - 1) * 3 + c])).isLessThanOrEqualTo(1e-3f);
                }
            }
        }
    }

    @Test
    void bothEyesBlinkSeveralTimesInTenSeconds() {
        int left = MODEL.expressionNames().indexOf("eyeBlinkLeft"), right = MODEL.expressionNames().indexOf("eyeBlinkRight");
        for (long seed = 0; seed < 10; seed++) {
            Motion m = Motions.sample(seed, MODEL, FRAMES, FPS);
            int blinks = 0;
            for (int t = 1; t < FRAMES; t++) {
                float prev = m.expressionAt(t - 1)[left], now = m.expressionAt(t)[left];
                if (prev < 0.5f && now >= 0.5f) blinks++;
                assertThat(m.expressionAt(t)[right]).isEqualTo(now);
            }
            assertThat(blinks).as("seed %d", seed).isBetween(1, 6);
        }
    }

    @Test
    void headRotationStaysWithinThirtyFiveDegrees() {
        double largest = 0;
        for (long seed = 0; seed < 10; seed++) {
            Motion m = Motions.sample(seed, MODEL, FRAMES, FPS);
            for (int t = 0; t < FRAMES; t++) {
                // The composed rotation's angle is at most the sum of the two joints' angles.
                double total = norm(m.jointAt(t, Joints.NECK)) + norm(m.jointAt(t, Joints.HEAD));
                largest = Math.max(largest, total);
            }
        }
        assertThat(largest).isLessThanOrEqualTo(Math.toRadians(35));
        assertThat(largest).isGreaterThan(Math.toRadians(5));
    }

    @Test
    void expressiveEpisodesAndTalkingOccur() {
        Motion m = Motions.sample(2, MODEL, FRAMES, FPS);
        float jawMax = 0;
        for (int t = 0; t < FRAMES; t++) jawMax = Math.max(jawMax, m.jointAt(t, Joints.JAW)[0]);
        assertThat(jawMax).isGreaterThan(0.05f);
        int active = 0;
        for (int k = 0; k < m.numExpression(); k++) {
            for (int t = 0; t < FRAMES; t++) {
                if (m.expressionAt(t)[k] > 0.3f) {
                    active++;
                    break;
                }
            }
        }
        assertThat(active).isGreaterThanOrEqualTo(4); // blinks plus at least one episode
    }

    @Test
    void neutralIsOneAllZeroFrame() {
        Motion n = Motions.neutral(MODEL);
        assertThat(n.frames()).isEqualTo(1);
        assertThat(n.numExpression()).isEqualTo(MODEL.numExpression());
        assertThat(n.numJoints()).isEqualTo(MODEL.numJoints());
        for (float v : n.expression()) assertThat(v).isZero();
        for (float v : n.pose()) assertThat(v).isZero();
        for (float v : n.translation()) assertThat(v).isZero();
    }

    private static double norm(float[] v) {
        return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    }

    @Test
    void cameraShakeIsSmoothAndAboutOnePixelAt256() {
        double f256 = 128 / Math.tan(Math.toRadians(10)); // the portrait framing's focal length at 256 px
        double largest = 0;
        for (long seed = 0; seed < 10; seed++) {
            Motion m = Motions.sample(seed, MODEL, FRAMES, FPS);
            float[] px = m.principalShift(f256, f256);
            double peak = 0;
            for (int t = 0; t < FRAMES; t++) {
                peak = Math.max(peak, Math.hypot(px[2 * t], px[2 * t + 1]));
                if (t > 0) {
                    assertThat(Math.hypot(px[2 * t] - px[2 * t - 2], px[2 * t + 1] - px[2 * t - 1])).as("step at frame %d", t).isLessThan(0.6);
                }
            }
            assertThat(peak).as("seed %d", seed).isBetween(0.3, 2.2);
            largest = Math.max(largest, peak);
        }
        assertThat(largest).isGreaterThan(1.0);
        assertThat(Motions.neutral(MODEL).cameraJitter()).containsOnly(0f);
    }
}
