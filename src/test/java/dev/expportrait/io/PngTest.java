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
    void nonPngInputIsRefusedNamingTheFile() throws Exception {
        Path junk = dir.resolve("junk.png");
        Files.writeString(junk, "hello");
        assertThatThrownBy(() -> Png.read(junk)).isInstanceOf(InputException.class).hasMessageStartingWith(junk.toString());
        assertThatThrownBy(() -> Png.read(dir.resolve("none.png"))).isInstanceOf(InputException.class).hasMessageContaining("no such file");
    }
}
