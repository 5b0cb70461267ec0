package dev.expportrait.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4Test {
    @TempDir
    Path dir;

    /** Smooth synthetic frames: colour gradients with a disc moving across, like rendered portraits. */
    static List<byte[]> frames(int w, int h, int n) {
        List<byte[]> out = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            byte[] f = new byte[w * h * 3];
            double cx = w * (0.3 + 0.4 * t / n), cy = h * 0.5, r = w * 0.2;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean disc = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r;
                    int k = (y * w + x) * 3;
                    f[k] = (byte) (disc ? 220 : 40 + 150 * x / w);
                    f[k + 1] = (byte) (disc ? 150 : 60 + 120 * y / h);
                    f[k + 2] = (byte) (disc ? 120 : 90 + t * 4);
                }
            }
            out.add(f);
        }
        return out;
    }

    static double psnr(byte[] a, byte[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] & 0xff) - (b[i] & 0xff);
            se += d * d;
        }
        return 10 * Math.log10(255.0 * 255.0 / (se / a.length));
    }

    @Test
    void h264RoundTripKeepsFrameCountRateMetadataAndAbove33Db() throws Exception {
        int w = 96, h = 64, n = 12;
        List<byte[]> frames = frames(w, h, n);
        Path p = dir.resolve("clip.mp4");
        Mp4.write(p, frames, w, h, 25, Map.of("comment", "expportrait test"));
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(p), 64);
        String start = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(start).contains("ftyp");
        // faststart: the index (moov) comes before the media data (mdat).
        String whole = new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(whole.indexOf("moov")).isLessThan(whole.indexOf("mdat"));
        assertThat(whole).contains("avc1"); // H.264, not MPEG-4 Part 2

        Mp4.Video v = Mp4.read(p);
        assertThat(v.width()).isEqualTo(w);
        assertThat(v.height()).isEqualTo(h);
        assertThat(v.fps()).isCloseTo(25, within(0.01));
        assertThat(v.frames()).hasSize(n);
        for (int t = 0; t < n; t++) {
            assertThat(psnr(frames.get(t), v.frames().get(t))).as("frame %d", t).isGreaterThan(33);
        }
        assertThat(v.metadata()).containsEntry("comment", "expportrait test");
    }

    @Test
    void badInputIsRefusedNamingTheFileAndOddSizesAreRejected() throws Exception {
        Path junk = dir.resolve("junk.mp4");
        Files.writeString(junk, "not a video");
        assertThatThrownBy(() -> Mp4.read(junk)).isInstanceOf(InputException.class).hasMessageStartingWith(junk.toString());
        assertThatThrownBy(() -> Mp4.read(dir.resolve("none.mp4"))).isInstanceOf(InputException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> Mp4.write(dir.resolve("odd.mp4"), frames(5, 4, 1), 5, 4, 25, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.exists(dir.resolve("odd.mp4"))).isFalse();
    }
}
