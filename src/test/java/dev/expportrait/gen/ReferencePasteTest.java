package dev.expportrait.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReferencePasteTest {
    private static final int W = 40, H = 30;

    private static byte[] noise(Random r) {
        byte[] b = new byte[W * H * 3];
        r.nextBytes(b);
        return b;
    }

    /** A normal map with a disc of one encoded normal at (cx, cy), black elsewhere. */
    private static byte[] disc(int cx, int cy, int radius) {
        return disc(new byte[W * H * 3], cx, cy, radius, 128);
    }

    /** Paints a disc of the normal encoded (x, 128, 255) into {@code b}. */
    private static byte[] disc(byte[] b, int cx, int cy, int radius, int x0) {
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) {
                    int i = (y * W + x) * 3;
                    b[i] = (byte) x0;
                    b[i + 1] = (byte) 128;
                    b[i + 2] = (byte) 255;
                }
            }
        }
        return b;
    }

    @Test
    void theChamferDistanceIsWithinSixPercentOfTheEuclideanOne() {
        Random r = new Random(3);
        boolean[] fg = new boolean[W * H];
        for (int k = 0; k < 5; k++) fg[r.nextInt(fg.length)] = true;
        float[] d = ReferencePaste.distance(fg, W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double e = Double.POSITIVE_INFINITY;
                for (int i = 0; i < fg.length; i++) {
                    if (fg[i]) e = Math.min(e, Math.hypot(x - i % W, y - i / W));
                }
                assertThat((double) d[y * W + x]).as("(%d, %d)", x, y).isBetween(e * 0.942, e * 1.055 + 1e-6);
            }
        }
        assertThat(ReferencePaste.distance(new boolean[W * H], W, H)).containsOnly(Float.POSITIVE_INFINITY);
    }

    @Test
    void withANegativeToleranceTheHeadsAreTheGeneratorsAndTheBackgroundIsTheReference() {
        Random r = new Random(7);
        byte[] generated = noise(r), reference = noise(r);
        byte[] driven = disc(10, 15, 4), referenceHead = disc(28, 15, 3);
        byte[] out = ReferencePaste.apply(List.of(generated), List.of(driven), referenceHead, reference, W, H, -1).get(0);
        float band = W / 32f; // margin and feather
        boolean[] heads = ReferencePaste.foreground(driven, W, H), refHead = ReferencePaste.foreground(referenceHead, W, H);
        for (int i = 0; i < heads.length; i++) heads[i] |= refHead[i];
        float[] d = ReferencePaste.distance(heads, W, H);
        int inside = 0, outside = 0;
        for (int i = 0; i < W * H; i++) {
            for (int c = 0; c < 3; c++) {
                if (d[i] <= band) {
                    assertThat(out[i * 3 + c]).isEqualTo(generated[i * 3 + c]);
                    inside++;
                } else if (d[i] >= 2 * band) {
                    assertThat(out[i * 3 + c]).isEqualTo(reference[i * 3 + c]);
                    outside++;
                } else {
                    int lo = Math.min(generated[i * 3 + c] & 0xFF, reference[i * 3 + c] & 0xFF);
                    int hi = Math.max(generated[i * 3 + c] & 0xFF, reference[i * 3 + c] & 0xFF);
                    assertThat(out[i * 3 + c] & 0xFF).isBetween(lo, hi);
                }
            }
        }
        // Both heads count: the disc where the reference's head was is generated too (what is behind it is new).
        assertThat(out[(15 * W + 28) * 3]).isEqualTo(generated[(15 * W + 28) * 3]);
        assertThat(inside).isGreaterThan(3 * 60);
        assertThat(outside).isGreaterThan(3 * 600);
    }

    @Test
    void withNoHeadTheFrameIsTheReference() {
        Random r = new Random(1);
        byte[] generated = noise(r), reference = noise(r), none = new byte[W * H * 3];
        for (int tolerance : new int[] {-1, ReferencePaste.TOLERANCE}) {
            assertThat(ReferencePaste.apply(List.of(generated), List.of(none), none, reference, W, H, tolerance).get(0)).containsExactly(reference);
        }
    }

    @Test
    void anUnchangedSurfaceIsTheReferencesAndAChangedOneTheGenerators() {
        Random r = new Random(11);
        byte[] generated = noise(r), reference = noise(r);
        // The same large body in both maps; in the frame, a patch of it turned by more than the tolerance, and a
        // patch turned by less.
        byte[] before = disc(new byte[W * H * 3], 20, 15, 14, 128);
        byte[] after = disc(disc(before.clone(), 10, 15, 3, 128 + ReferencePaste.TOLERANCE + 1), 30, 15, 3, 128 + ReferencePaste.TOLERANCE);
        byte[] out = ReferencePaste.apply(List.of(generated), List.of(after), before, reference, W, H, ReferencePaste.TOLERANCE).get(0);
        int turned = (15 * W + 10) * 3, barely = (15 * W + 30) * 3, still = (5 * W + 20) * 3;
        assertThat(out[turned]).isEqualTo(generated[turned]);
        assertThat(out[barely]).isEqualTo(reference[barely]);
        assertThat(out[still]).isEqualTo(reference[still]);
        boolean[] changed = ReferencePaste.changed(after, before, W, H, ReferencePaste.TOLERANCE);
        int count = 0;
        for (boolean b : changed) if (b) count++;
        assertThat(count).as("only the turned patch changed").isEqualTo(29); // the pixels of a disc of radius 3
    }
}
