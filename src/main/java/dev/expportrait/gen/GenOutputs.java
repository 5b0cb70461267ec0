package dev.expportrait.gen;

import dev.expportrait.fit.LossPlot;
import dev.expportrait.io.Png;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/** What the generator's commands write besides weights: frames as images, sample strips, loss plots. */
public final class GenOutputs {
    private GenOutputs() {}

    /** The frames of element {@code b} of a video [B, 3, T, H, W] in [-1, 1], as interleaved RGB bytes. */
    public static List<byte[]> frames(Tensor video, int b) {
        long[] s = Tensors.shape(video);
        int t = (int) s[2], h = (int) s[3], w = (int) s[4], px = h * w;
        float[] v = Tensors.toFloats(video.select(0, b).contiguous());
        List<byte[]> out = new ArrayList<>();
        for (int f = 0; f < t; f++) {
            byte[] rgb = new byte[px * 3];
            for (int ch = 0; ch < 3; ch++) {
                int base = (ch * t + f) * px;
                for (int p = 0; p < px; p++) {
                    double x = Math.round((v[base + p] + 1) * 127.5);
                    rgb[p * 3 + ch] = (byte) Math.max(0, Math.min(255, x));
                }
            }
            out.add(rgb);
        }
        return out;
    }

    /**
     * A sample strip: one column per frame, rows the control (normal maps), the generated frames and, when
     * given, the ground truth; the reference image in a first column beside the generated row.
     */
    public static void strip(Path png, byte[] reference, List<byte[]> control, List<byte[]> generated, List<byte[]> truth, int width, int height) {
        int cols = control.size() + 1, rows = truth == null ? 2 : 3;
        int gap = 2, W = cols * width + (cols - 1) * gap, H = rows * height + (rows - 1) * gap;
        byte[] out = new byte[W * H * 3];
        java.util.Arrays.fill(out, (byte) 255);
        blit(out, W, reference, width, height, 0, height + gap);
        for (int f = 0; f < control.size(); f++) {
            int x = (f + 1) * (width + gap);
            blit(out, W, control.get(f), width, height, x, 0);
            blit(out, W, generated.get(f), width, height, x, height + gap);
            if (truth != null) blit(out, W, truth.get(f), width, height, x, 2 * (height + gap));
        }
        Map<String, String> text = new LinkedHashMap<>();
        text.put("Description", "rows: control (normal maps), generated" + (truth == null ? "" : ", ground truth") + "; first column: the reference image");
        Png.writeRgb(png, W, H, out, text);
    }

    /** Frame t of the result is frames t of {@code columns} side by side (each column W x H frames, as many). */
    public static List<byte[]> sideBySide(List<List<byte[]>> columns, int width, int height) {
        int n = columns.size(), total = n * width;
        List<byte[]> out = new ArrayList<>();
        for (int f = 0; f < columns.get(0).size(); f++) {
            byte[] frame = new byte[total * height * 3];
            for (int c = 0; c < n; c++) blit(frame, total, columns.get(c).get(f), width, height, c * width, 0);
            out.add(frame);
        }
        return out;
    }

    private static void blit(byte[] out, int outWidth, byte[] img, int w, int h, int x0, int y0) {
        for (int y = 0; y < h; y++) System.arraycopy(img, y * w * 3, out, ((y0 + y) * outWidth + x0) * 3, w * 3);
    }

    /** The loss curves of a run: training (a moving mean) and validation. */
    public static void lossPlot(Path png, GenTrainer.Result r, String title) {
        int window = Math.max(1, Math.min(50, r.train().length / 10));
        Map<String, double[]> curves = LossPlot.trainingCurves(r.train(), r.validationSteps(), r.validation(), window);
        Map<String, String> text = new LinkedHashMap<>();
        text.put("title", title);
        LossPlot.write(png, curves, 900, 420, text);
    }
}
