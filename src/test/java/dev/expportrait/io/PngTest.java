package dev.expportrait.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngTest {
    @TempDir
    Path dir;

    @Test
    void rgbRoundTripsExactlyWithText() {
        Random r = new Random(1);
        byte[] rgb = new byte[7 * 5 * 3];
        r.nextBytes(rgb);
        Path p = dir.resolve("a.png");
        Png.writeRgb(p, 7, 5, rgb, Map.of("format", "expportrait.normal-map", "version", "1"));
        Png.Image img = Png.read(p);
        assertThat(img.width()).isEqualTo(7);
        assertThat(img.height()).isEqualTo(5);
        assertThat(img.channels()).isEqualTo(3);
        assertThat(img.bitDepth()).isEqualTo(8);
        for (int i = 0; i < rgb.length; i++) assertThat(img.samples()[i]).isEqualTo(rgb[i] & 0xff);
        assertThat(img.text()).containsEntry("format", "expportrait.normal-map").containsEntry("version", "1");
    }

    @Test
    void sixteenBitGreyKeepsTheFullRange() {
        short[] v = new short[4 * 3];
        for (int i = 0; i < v.length; i++) v[i] = (short) (i * 5957);
        v[11] = (short) 65535;
        Path p = dir.resolve("d.png");
        Png.writeGray16(p, 4, 3, v, Map.of("depth_min_m", "0.5", "depth_max_m", "1.5"));
        Png.Image img = Png.read(p);
        assertThat(img.bitDepth()).isEqualTo(16);
        assertThat(img.channels()).isEqualTo(1);
        for (int i = 0; i < v.length; i++) assertThat(img.samples()[i]).isEqualTo(v[i] & 0xffff);
        assertThat(img.text()).containsEntry("depth_max_m", "1.5");
    }

    @Test
    void eightBitGreyAndLargerSmoothImagesRoundTripExactly() {
        // Smooth ramps plus noise exercise every branch of the Paeth predictor across rows.
        Random r = new Random(2);
        int w = 97, h = 61;
        byte[] grey = new byte[w * h];
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            grey[i] = (byte) (i % w * 2 + i / w + r.nextInt(3));
            for (int c = 0; c < 3; c++) rgb[3 * i + c] = (byte) (c * 80 + i / w * 3 - i % w + r.nextInt(5));
        }
        Png.writeGray8(dir.resolve("g.png"), w, h, grey, Map.of());
        Png.writeRgb(dir.resolve("c.png"), w, h, rgb, Map.of());
        Png.Image g = Png.read(dir.resolve("g.png")), c = Png.read(dir.resolve("c.png"));
        assertThat(g.channels()).isEqualTo(1);
        assertThat(g.bitDepth()).isEqualTo(8);
        int[] expectedGrey = new int[grey.length], expectedRgb = new int[rgb.length];
        for (int i = 0; i < grey.length; i++) expectedGrey[i] = grey[i] & 0xff;
        for (int i = 0; i < rgb.length; i++) expectedRgb[i] = rgb[i] & 0xff;
        assertThat(java.util.Arrays.equals(g.samples(), expectedGrey)).isTrue();
        assertThat(java.util.Arrays.equals(c.samples(), expectedRgb)).isTrue();
    }

    @Test
    void nonPngInputIsRefusedNamingTheFile() throws Exception {
        Path junk = dir.resolve("junk.png");
        Files.writeString(junk, "hello");
        assertThatThrownBy(() -> Png.read(junk)).isInstanceOf(InputException.class).hasMessageStartingWith(junk.toString());
        assertThatThrownBy(() -> Png.read(dir.resolve("none.png"))).isInstanceOf(InputException.class).hasMessageContaining("no such file");
    }
}
