package dev.expportrait.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.io.InputException;
import dev.expportrait.io.Png;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapImagesTest {
    @TempDir
    Path dir;

    @Test
    void normalsEncodeAsHalfPlusHalfAndMaskedPixelsAreBlack() {
        float[] n = {0, 0, 1, -1, 0, 0, 0, 0.6f, -0.8f};
        MapImages.Rgb rgb = MapImages.normals(n, new boolean[] {true, true, false}, 3, 1);
        int[] got = new int[9];
        for (int i = 0; i < 9; i++) got[i] = rgb.data()[i] & 0xff;
        assertThat(got).containsExactly(128, 128, 255, 0, 128, 128, 0, 0, 0);
    }

    @Test
    void depthRoundTripsWithinOneQuantisationStepAndKeepsEmptyPixels() {
        float[] d = {0.5f, 0.75f, Float.POSITIVE_INFINITY, 1.5f, 1.0f, 0f};
        Path p = dir.resolve("depth.png");
        MapImages.writeDepth(p, d, 3, 2, Map.of("frame", "0"));
        float[] back = MapImages.readDepth(p);
        double step = 1.0 / 65534;
        for (int i : new int[] {0, 1, 3, 4}) assertThat((double) back[i]).isCloseTo(d[i], within(step));
        assertThat(back[2]).isNaN();
        assertThat(back[5]).isNaN();
        assertThat(Png.read(p).text()).containsEntry("depth_min_m", "0.5").containsEntry("depth_max_m", "1.5").containsEntry("frame", "0");
    }

    @Test
    void aPngThatIsNotADepthMapIsRefused() {
        Path p = dir.resolve("rgb.png");
        Png.writeRgb(p, 1, 1, new byte[3], Map.of());
        assertThatThrownBy(() -> MapImages.readDepth(p)).isInstanceOf(InputException.class).hasMessageContaining("not an expportrait depth PNG");
    }

    @Test
    void stripsPlaceImagesSideBySideAndOverlaysPaintCrosses() {
        MapImages.Rgb a = new MapImages.Rgb(2, 2, new byte[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4});
        MapImages.Rgb b = new MapImages.Rgb(1, 2, new byte[] {9, 9, 9, 8, 8, 8});
        MapImages.Rgb s = MapImages.strip(List.of(a, b));
        assertThat(s.width()).isEqualTo(3);
        assertThat(s.data()).containsExactly(1, 1, 1, 2, 2, 2, 9, 9, 9, 3, 3, 3, 4, 4, 4, 8, 8, 8);
        MapImages.Rgb o = MapImages.overlayPoints(new MapImages.Rgb(5, 5, new byte[75]), new float[] {2, 2}, new int[] {255, 0, 0});
        int painted = 0;
        for (int i = 0; i < 25; i++) if ((o.data()[i * 3] & 0xff) == 255) painted++;
        assertThat(painted).isEqualTo(9); // a 5-pixel bar each way, sharing the centre
    }

    @Test
    void blendOverlaysAMapOnAFrameOnlyWhereTheMaskIsSet() {
        MapImages.Rgb frame = new MapImages.Rgb(2, 1, new byte[] {100, 100, 100, 100, 100, 100});
        MapImages.Rgb map = new MapImages.Rgb(2, 1, new byte[] {(byte) 200, 0, 50, (byte) 200, 0, 50});
        MapImages.Rgb out = MapImages.blend(frame, map, new boolean[] {true, false}, 0.25f);
        int[] got = new int[6];
        for (int i = 0; i < 6; i++) got[i] = out.data()[i] & 0xff;
        // 0.75 * 100 + 0.25 * map where masked; the frame untouched elsewhere.
        assertThat(got).containsExactly(125, 75, 88, 100, 100, 100);
    }
}
