package dev.expportrait.fit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expportrait.io.Png;
import dev.expportrait.render.MapImages;
import java.awt.Color;
import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossPlotTest {
    static Map<String, double[]> curves() {
        Map<String, double[]> c = new LinkedHashMap<>();
        double[] down = new double[200], up = new double[200], flat = new double[200];
        for (int i = 0; i < 200; i++) {
            down[i] = 1000 * Math.exp(-i / 30.0) + 1; // large and falling
            up[i] = 1e-3 * (1 + i / 50.0);             // tiny and rising
            flat[i] = 5;
        }
        c.put("landmark", down);
        c.put("prior", up);
        c.put("smooth", flat);
        return c;
    }

    @Test
    void everyCurveIsDrawnInItsColourAndAFallingLossEndsLower(@TempDir Path dir) {
        MapImages.Rgb img = LossPlot.plot(curves(), 480, 300);
        assertThat(img.width()).isEqualTo(480);
        assertThat(img.height()).isEqualTo(300);
        Rectangle area = LossPlot.plotArea(480, 300);
        for (int i = 0; i < 3; i++) {
            assertThat(count(img, LossPlot.color(i), 0, img.width())).as("curve " + i).isGreaterThan(50);
        }
        int firstCol = area.x + 1, lastCol = area.x + area.width - 1;
        assertThat(rowOf(img, LossPlot.color(0), lastCol, area)).isGreaterThan(rowOf(img, LossPlot.color(0), firstCol, area) + area.height / 2);
        assertThat(rowOf(img, LossPlot.color(1), lastCol, area)).isLessThan(rowOf(img, LossPlot.color(1), firstCol, area));
        // All curves start at log10(1) = 0, the same height.
        assertThat(Math.abs(rowOf(img, LossPlot.color(2), firstCol, area) - rowOf(img, LossPlot.color(0), firstCol, area))).isLessThanOrEqualTo(2);

        Path png = dir.resolve("loss.png");
        LossPlot.write(png, curves(), 480, 300, Map.of("source", "test"));
        Png.Image back = Png.read8(png, 3);
        assertThat(back.width()).isEqualTo(480);
        assertThat(back.text()).containsEntry("source", "test");
    }

    @Test
    void nonPositiveValuesAndASingleIterationDoNotBreakThePlot() {
        Map<String, double[]> c = new LinkedHashMap<>();
        c.put("zero", new double[] {0, 0, 0});
        c.put("nan", new double[] {Double.NaN, 2, 1});
        c.put("one", new double[] {3});
        MapImages.Rgb img = LossPlot.plot(c, LossPlot.MIN_WIDTH, LossPlot.MIN_HEIGHT);
        assertThat(img.data()).hasSize(LossPlot.MIN_WIDTH * LossPlot.MIN_HEIGHT * 3);
        assertThat(count(img, LossPlot.color(1), 0, img.width())).isGreaterThan(0);
    }

    /**
     * The mean row of the pixels of {@code c} in column {@code x} of the plot area, or in the nearest column
     * towards the middle that has some: curves start at the same point, so later ones cover earlier ones there.
     */
    static double rowOf(MapImages.Rgb img, Color c, int x, Rectangle area) {
        int step = x < area.x + area.width / 2 ? 1 : -1;
        for (int col = x, tries = 0; tries < area.width / 10; col += step, tries++) {
            double sum = 0;
            int n = 0;
            for (int y = area.y; y <= area.y + area.height; y++) {
                if (is(img, col, y, c)) {
                    sum += y;
                    n++;
                }
            }
            if (n > 0) return sum / n;
        }
        throw new AssertionError("no pixels of " + c + " near column " + x);
    }

    static int count(MapImages.Rgb img, Color c, int x0, int x1) {
        int n = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = x0; x < x1; x++) {
                if (is(img, x, y, c)) n++;
            }
        }
        return n;
    }

    static boolean is(MapImages.Rgb img, int x, int y, Color c) {
        int k = (y * img.width() + x) * 3;
        byte[] d = img.data();
        return (d[k] & 0xff) == c.getRed() && (d[k + 1] & 0xff) == c.getGreen() && (d[k + 2] & 0xff) == c.getBlue();
    }
}
