package dev.expportrait.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ObservationsTest {
    static final int T = 2, W = 7, H = 5, L = 3;

    /** Random observations with holes: uncovered normals are 0, a third of the depths are missing. */
    static Observations random(long seed) {
        Random r = new Random(seed);
        int px = W * H;
        float[] lm = new float[T * L * 2];
        for (int i = 0; i < lm.length; i++) lm[i] = r.nextFloat() * W;
        float[] normals = new float[T * px * 3];
        float[] depth = new float[T * px];
        float[] masks = new float[T * px];
        byte[][] rgb = new byte[T][px * 3];
        for (int i = 0; i < T * px; i++) {
            masks[i] = r.nextFloat();
            depth[i] = r.nextInt(3) == 0 ? 0 : 0.5f + r.nextFloat();
            if (r.nextInt(4) > 0) {
                double x = r.nextGaussian(), y = r.nextGaussian(), z = Math.abs(r.nextGaussian()) + 0.5, n = Math.sqrt(x * x + y * y + z * z);
                normals[i * 3] = (float) (x / n);
                normals[i * 3 + 1] = (float) (y / n);
                normals[i * 3 + 2] = (float) (z / n);
            }
        }
        for (byte[] f : rgb) r.nextBytes(f);
        float[] k = {100, 110, 3.2f, 2.1f, 90, 95, 3.4f, 1.9f};
        return new Observations("test", T, W, H, 25, lm, normals, depth, masks, rgb, k,
                new double[] {1, 0, 0, 0, -1, 0, 0, 0, -1}, new double[] {0, 0.1, 0.6});
    }

    @Test
    void downsamplingMatchesABruteForceBlockAverage() {
        Observations o = random(1);
        int f = 2, w = W / f, h = H / f;
        Observations d = o.downsample(f);
        assertThat(d.width()).isEqualTo(w);
        assertThat(d.height()).isEqualTo(h);
        for (int t = 0; t < T; t++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double[] n = new double[3];
                    double depthSum = 0, maskSum = 0;
                    int depthCount = 0;
                    double[] rgb = new double[3];
                    for (int yy = y * f; yy < y * f + f; yy++) {
                        for (int xx = x * f; xx < x * f + f; xx++) {
                            int i = t * W * H + yy * W + xx;
                            for (int c = 0; c < 3; c++) n[c] += o.normals()[i * 3 + c];
                            if (o.depth()[i] > 0) {
                                depthSum += o.depth()[i];
                                depthCount++;
                            }
                            maskSum += o.masks()[i];
                            for (int c = 0; c < 3; c++) rgb[c] += o.rgb()[t][(yy * W + xx) * 3 + c] & 0xff;
                        }
                    }
                    int j = t * w * h + y * w + x;
                    double len = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
                    for (int c = 0; c < 3; c++) {
                        assertThat(d.normals()[j * 3 + c]).isCloseTo((float) (len > 0 ? n[c] / len : 0), within(1e-5f));
                        assertThat(d.rgb()[t][(y * w + x) * 3 + c] & 0xff).isEqualTo((int) Math.round(rgb[c] / (f * f)));
                    }
                    assertThat(d.depth()[j]).isCloseTo((float) (depthCount == 0 ? 0 : depthSum / depthCount), within(1e-5f));
                    assertThat(d.masks()[j]).isCloseTo((float) (maskSum / (f * f)), within(1e-5f));
                }
            }
        }
        for (int i = 0; i < o.landmarks().length; i++) {
            assertThat(d.landmarks()[i]).isCloseTo((o.landmarks()[i] + 0.5f) / f - 0.5f, within(1e-5f));
        }
        for (int t = 0; t < T; t++) {
            assertThat(d.intrinsics()[t * 4]).isCloseTo(o.intrinsics()[t * 4] / f, within(1e-4f));
            assertThat(d.intrinsics()[t * 4 + 1]).isCloseTo(o.intrinsics()[t * 4 + 1] / f, within(1e-4f));
            assertThat(d.intrinsics()[t * 4 + 2]).isCloseTo((o.intrinsics()[t * 4 + 2] + 0.5f) / f - 0.5f, within(1e-5f));
            assertThat(d.intrinsics()[t * 4 + 3]).isCloseTo((o.intrinsics()[t * 4 + 3] + 0.5f) / f - 0.5f, within(1e-5f));
        }
        assertThat(Arrays.equals(d.rotation(), o.rotation())).isTrue();
    }

    @Test
    void theCentreOfABlockLandsOnTheCentreOfItsPixel() {
        Observations o = random(2);
        float[] lm = o.landmarks().clone();
        lm[0] = 3 * 4 + 1.5f; // the centre of block 3 of a factor-4 downsampling (pixels 12..15)
        Observations p = new Observations("c", T, 16, 16, 25, lm, null, null, null, null, null, null, null);
        assertThat(p.downsample(4).landmarks()[0]).isEqualTo(3f);
        assertThat(p.downsample(4).hasDense()).isFalse();
    }

    @Test
    void aFrameIsAOneFrameCopy() {
        Observations o = random(3);
        Observations f = o.frame(1);
        int px = W * H;
        assertThat(f.frames()).isEqualTo(1);
        assertThat(f.numLandmarks()).isEqualTo(L);
        assertThat(f.hasDense()).isTrue();
        assertThat(Arrays.equals(f.landmarks(), Arrays.copyOfRange(o.landmarks(), L * 2, 2 * L * 2))).isTrue();
        assertThat(Arrays.equals(f.normals(), Arrays.copyOfRange(o.normals(), px * 3, 2 * px * 3))).isTrue();
        assertThat(Arrays.equals(f.depth(), Arrays.copyOfRange(o.depth(), px, 2 * px))).isTrue();
        assertThat(Arrays.equals(f.intrinsics(), Arrays.copyOfRange(o.intrinsics(), 4, 8))).isTrue();
        assertThat(Arrays.equals(f.rgb()[0], o.rgb()[1])).isTrue();
        f.rgb()[0][0]++;
        f.depth()[0]++;
        assertThat(f.rgb()[0][0]).isNotEqualTo(o.rgb()[1][0]);
        assertThat(f.depth()[0]).isNotEqualTo(o.depth()[px]);
    }

    @Test
    void theFirstFramesAreACopyOfTheLeadingFramesUnderTheSameSource() {
        Observations o = random(5);
        Observations first = o.firstFrames(1), zero = o.frame(0);
        assertThat(first.frames()).isEqualTo(1);
        assertThat(first.source()).isEqualTo(o.source());
        assertThat(Arrays.equals(first.landmarks(), zero.landmarks())).isTrue();
        assertThat(Arrays.equals(first.normals(), zero.normals())).isTrue();
        assertThat(Arrays.equals(first.depth(), zero.depth())).isTrue();
        assertThat(Arrays.equals(first.masks(), zero.masks())).isTrue();
        assertThat(Arrays.equals(first.intrinsics(), zero.intrinsics())).isTrue();
        assertThat(Arrays.equals(first.rgb()[0], o.rgb()[0])).isTrue();
        first.rgb()[0][0]++;
        assertThat(first.rgb()[0][0]).isNotEqualTo(o.rgb()[0][0]);
        assertThat(o.firstFrames(T)).isSameAs(o);
        assertThat(o.firstFrames(T + 5)).isSameAs(o);
        assertThatThrownBy(() -> o.firstFrames(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void arraysOfTheWrongLengthAreRefused() {
        Observations o = random(4);
        assertThatThrownBy(() -> new Observations("x", T, W, H, 25, o.landmarks(), new float[5], null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("normals");
        assertThatThrownBy(() -> new Observations("x", T, W, H, 25, new float[3], null, null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("landmarks");
        assertThatThrownBy(() -> o.downsample(8)).isInstanceOf(IllegalArgumentException.class);
    }
}
