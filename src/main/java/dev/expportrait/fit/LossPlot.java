package dev.expportrait.fit;

import dev.expportrait.render.MapImages;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A chart of loss curves, so a user can see a fit converge: one coloured polyline per named loss, x the
 * iteration, y = log10(loss / its first value), so that every curve starts at 0 and losses of very
 * different magnitudes share one axis. Non-positive or non-finite values (a log has none) break the line.
 * Axes with ticks, a legend on the right, a title. Drawn with java.awt, headless.
 */
public final class LossPlot {
    static {
        System.setProperty("java.awt.headless", "true"); // no display on servers; must precede AWT's start
    }

    /** Tableau 10: distinct for the eye and from the black, grey and white of the frame; reused past 10 curves. */
    private static final int[] PALETTE = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
    private static final Color GRID = new Color(0xe4e4e4);
    static final int MIN_WIDTH = 240;
    static final int MIN_HEIGHT = 140;

    private LossPlot() {}

    /**
     * @param curves loss name to its value per iteration, in legend order
     * @param width image width, pixels (at least {@value #MIN_WIDTH})
     * @param height image height, pixels (at least {@value #MIN_HEIGHT})
     */
    public static MapImages.Rgb plot(Map<String, double[]> curves, int width, int height) {
        if (width < MIN_WIDTH || height < MIN_HEIGHT) {
            throw new IllegalArgumentException("a loss plot needs at least " + MIN_WIDTH + "x" + MIN_HEIGHT + " px, got " + width + "x" + height);
        }
        List<String> names = new ArrayList<>(curves.keySet());
        List<double[]> logs = new ArrayList<>();
        int iterations = 1;
        double lo = 0, hi = 0;
        for (String name : names) {
            double[] y = relativeLog(curves.get(name));
            logs.add(y);
            iterations = Math.max(iterations, y.length);
            for (double v : y) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (hi - lo < 1e-9) {
            lo -= 1;
            hi += 1;
        }
        double pad = 0.05 * (hi - lo);
        Axis x = new Axis(0, Math.max(1, iterations - 1));
        Axis y = new Axis(lo - pad, hi + pad);
        Rectangle area = plotArea(width, height);

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            // Lines stay aliased: each curve keeps its exact colour, which tests and eyes can pick out.
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            drawAxes(g, area, x, y);
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setClip(area.x, area.y, area.width + 1, area.height + 1);
            for (int i = 0; i < logs.size(); i++) {
                g.setColor(color(i));
                drawCurve(g, logs.get(i), area, x, y);
            }
            g.setClip(null);
            drawLegend(g, names, area, width);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            String title = "Loss curves: log10(loss / first value)";
            g.drawString(title, Math.max(4, (width - g.getFontMetrics().stringWidth(title)) / 2), 18);
        } finally {
            g.dispose();
        }
        return toRgb(img);
    }

    /** Writes the chart to {@code png} (8-bit RGB) with {@code text} in the PNG's text chunks. */
    public static void write(Path png, Map<String, double[]> curves, int width, int height, Map<String, String> text) {
        plot(curves, width, height).writePng(png, text);
    }

    /**
     * A trainer's curves: the training loss as a {@code window}-step moving mean, and the validation losses
     * (measured at 1-based {@code validationSteps}) held from each measurement to the next; no validation
     * curve when there are none.
     */
    public static Map<String, double[]> trainingCurves(double[] train, double[] validationSteps, double[] validation, int window) {
        int n = train.length;
        double[] smooth = new double[n], held = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += train[i] - (i >= window ? train[i - window] : 0);
            smooth[i] = sum / Math.min(i + 1, window);
        }
        int k = 0;
        double last = Double.NaN;
        for (int i = 0; i < n; i++) {
            while (k < validationSteps.length && validationSteps[k] <= i + 1) last = validation[k++];
            held[i] = last;
        }
        Map<String, double[]> curves = new java.util.LinkedHashMap<>();
        curves.put("train (" + window + "-step mean)", smooth);
        if (validation.length > 0) curves.put("validation (held out)", held);
        return curves;
    }

    /** Where the curves are drawn in a chart of this size: axes on its left and bottom edges, the legend to its right. */
    static Rectangle plotArea(int width, int height) {
        int legend = Math.min(170, width / 4);
        int left = 52, top = 30, right = width - legend - 14, bottom = height - 34;
        return new Rectangle(left, top, right - left, bottom - top);
    }

    /** The colour of curve {@code i}, in legend order. */
    static Color color(int i) {
        return new Color(PALETTE[i % PALETTE.length]);
    }

    /** log10(v / v0), v0 the first finite positive value; NaN where v is not finite and positive. */
    private static double[] relativeLog(double[] values) {
        double[] out = new double[values.length];
        double first = Double.NaN;
        for (double v : values) {
            if (Double.isFinite(v) && v > 0) {
                first = v;
                break;
            }
        }
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            out[i] = Double.isFinite(v) && v > 0 ? Math.log10(v / first) : Double.NaN;
        }
        return out;
    }

    private static void drawCurve(Graphics2D g, double[] ys, Rectangle area, Axis x, Axis y) {
        Path2D.Double line = new Path2D.Double();
        boolean open = false;
        for (int i = 0; i < ys.length; i++) {
            if (!Double.isFinite(ys[i])) {
                open = false;
                continue;
            }
            double px = x.toPixel(i, area.x, area.x + area.width), py = y.toPixel(ys[i], area.y + area.height, area.y);
            if (open) {
                line.lineTo(px, py);
            } else {
                line.moveTo(px, py);
                line.lineTo(px, py); // a lone point still shows as a dot with round caps
                open = true;
            }
        }
        g.draw(line);
    }

    private static void drawAxes(Graphics2D g, Rectangle area, Axis x, Axis y) {
        FontMetrics fm = g.getFontMetrics();
        int bottom = area.y + area.height, right = area.x + area.width;
        for (double v : x.ticks()) {
            int px = (int) Math.round(x.toPixel(v, area.x, right));
            g.setColor(GRID);
            g.drawLine(px, area.y, px, bottom);
            g.setColor(Color.BLACK);
            g.drawLine(px, bottom, px, bottom + 4);
            String label = Axis.label(v);
            g.drawString(label, px - fm.stringWidth(label) / 2, bottom + 6 + fm.getAscent());
        }
        for (double v : y.ticks()) {
            int py = (int) Math.round(y.toPixel(v, bottom, area.y));
            g.setColor(GRID);
            g.drawLine(area.x, py, right, py);
            g.setColor(Color.BLACK);
            g.drawLine(area.x - 4, py, area.x, py);
            String label = Axis.label(v);
            g.drawString(label, area.x - 6 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
        }
        g.setColor(Color.BLACK);
        g.drawLine(area.x, area.y, area.x, bottom);
        g.drawLine(area.x, bottom, right, bottom);
        String xLabel = "iteration";
        g.drawString(xLabel, area.x + (area.width - fm.stringWidth(xLabel)) / 2, bottom + 8 + 2 * fm.getAscent());
    }

    private static void drawLegend(Graphics2D g, List<String> names, Rectangle area, int width) {
        FontMetrics fm = g.getFontMetrics();
        int x0 = area.x + area.width + 12, row = fm.getHeight() + 4;
        for (int i = 0; i < names.size(); i++) {
            int yMid = area.y + 8 + i * row;
            if (yMid > area.y + area.height) break; // more names than room: the rest go unlabelled
            g.setColor(color(i));
            g.fillRect(x0, yMid - 3, 16, 6);
            g.setColor(Color.BLACK);
            g.drawString(fit(names.get(i), fm, width - x0 - 24), x0 + 22, yMid + fm.getAscent() / 2 - 1);
        }
    }

    /** {@code text}, shortened with an ellipsis to {@code room} pixels. */
    private static String fit(String text, FontMetrics fm, int room) {
        if (fm.stringWidth(text) <= room) return text;
        String s = text;
        while (!s.isEmpty() && fm.stringWidth(s + "...") > room) s = s.substring(0, s.length() - 1);
        return s + "...";
    }

    private static MapImages.Rgb toRgb(BufferedImage img) {
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return new MapImages.Rgb(img.getWidth(), img.getHeight(), rgb);
    }

    /** A linear axis over [min, max] with round tick values. */
    private record Axis(double min, double max) {
        double toPixel(double v, double p0, double p1) {
            return p0 + (v - min) / (max - min) * (p1 - p0);
        }

        /** About five ticks at 1, 2 or 5 times a power of ten. */
        List<Double> ticks() {
            double raw = (max - min) / 5;
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
            List<Double> out = new ArrayList<>();
            for (double v = Math.ceil(min / step) * step; v <= max + 1e-9 * step; v += step) {
                out.add(Math.abs(v) < 1e-9 * step ? 0.0 : v);
            }
            return out;
        }

        static String label(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2g", v);
        }
    }
}
