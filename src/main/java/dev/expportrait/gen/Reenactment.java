package dev.expportrait.gen;

import dev.expportrait.eval.ImageMetrics;
import dev.expportrait.io.AtomicFiles;
import dev.expportrait.io.InputException;
import dev.expportrait.io.Json;
import dev.expportrait.io.Mp4;
import dev.expportrait.io.Png;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Generation of one video from a control sequence (normal maps) and a reference image (Sec. 3.3 at
 * inference): the {@link Sampler} on the {@link Generator}, frames in and out as 8-bit RGB, and the scores
 * against ground truth when there is one (self-reenactment of a synthetic clip).
 */
public final class Reenactment {
    /**
     * What to generate: control frames and a reference (W x H RGB each), the reference's own normal map if known
     * (else null; with it, the reference's pixels are kept where the control shows nothing changed, {@link ReferencePaste}), and the
     * true frames if known (else null).
     */
    public record Input(String name, int width, int height, List<byte[]> control, byte[] reference, byte[] referenceControl, List<byte[]> truth) {
        /** The same without the reference's normal map: the generator's whole frames. */
        public Input withoutReferenceControl() {
            return new Input(name, width, height, control, reference, null, truth);
        }
    }

    /**
     * Mean and per-frame scores against ground truth; {@code movedPsnr} is over the pixels where the true frame
     * differs from the reference by more than {@value #MOVED} / 255 in some channel (where a copy of the
     * reference is wrong: the background and camera of a synthetic clip do not move, so a whole-frame score is
     * mostly the background's), NaN when no pixel moved.
     */
    public record Metrics(double psnr, double ssim, double l1, double movedPsnr, double[] psnrPerFrame, double[] ssimPerFrame, double[] l1PerFrame) {
        /** The scores of {@code frames} against {@code truth} (PSNR of the mean squared error over all frames), moved pixels by {@code reference}. */
        public static Metrics of(List<byte[]> frames, List<byte[]> truth, byte[] reference, int width, int height) {
            int n = frames.size();
            double[] p = new double[n], s = new double[n], l = new double[n];
            double mse = 0, ss = 0, ll = 0, movedSe = 0;
            long moved = 0;
            for (int f = 0; f < n; f++) {
                double m = ImageMetrics.mse(frames.get(f), truth.get(f));
                mse += m / n;
                p[f] = ImageMetrics.psnrOfMse(m);
                s[f] = ImageMetrics.ssim(frames.get(f), truth.get(f), width, height);
                l[f] = ImageMetrics.l1(frames.get(f), truth.get(f));
                ss += s[f] / n;
                ll += l[f] / n;
                boolean[] region = ImageMetrics.changed(truth.get(f), reference, MOVED);
                int k = 0;
                for (boolean b : region) if (b) k++;
                if (k > 0) {
                    movedSe += ImageMetrics.mse(frames.get(f), truth.get(f), region) * k;
                    moved += k;
                }
            }
            return new Metrics(ImageMetrics.psnrOfMse(mse), ss, ll, moved == 0 ? Double.NaN : ImageMetrics.psnrOfMse(movedSe / moved), p, s, l);
        }
    }

    /** The change (0-255, any channel) from the reference above which a pixel counts as moved. */
    public static final int MOVED = 16;

    public record Result(List<byte[]> frames, Metrics metrics, double seconds) {}

    private final Generator generator;
    private final Sampler sampler;
    private final int window;

    /**
     * @param window frames sampled together (1 + 4k; the model's training window): a longer video is generated
     *     in consecutive windows of this many frames, each from the same starting noise and reference
     */
    public Reenactment(Generator generator, Sampler sampler, int window) {
        VideoClips.latentFramesOf(window);
        this.generator = generator;
        this.sampler = sampler;
        this.window = window;
    }

    /**
     * The windows of an n-frame video: {from, to, sampled} per window, frames from .. to - 1, sampled the
     * length it is generated at (to - from rounded up to 1 + 4k: the last control frame repeated, the extra
     * frames dropped).
     */
    static List<int[]> windows(int n, int window) {
        if (n < 1) throw new InputException("no frames to generate");
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from < n; from += window) {
            int to = Math.min(n, from + window);
            out.add(new int[] {from, to, 1 + 4 * ((to - from - 1 + 3) / 4)});
        }
        return out;
    }

    /** Generates {@code in}; its frames must be the model's {@code width} x {@code height}. */
    public Result run(Input in, long seed, int width, int height) {
        return run(in, seed, width, height, null);
    }

    /** As {@link #run(Input, long, int, int)}, with a line on {@code progress} per window when there are several. */
    public Result run(Input in, long seed, int width, int height, java.io.PrintStream progress) {
        if (in.width() != width || in.height() != height) {
            throw new InputException(in.name() + ": " + in.width() + "x" + in.height() + " px; the generator was trained at " + width + "x" + height);
        }
        long t0 = System.nanoTime();
        List<byte[]> frames = new ArrayList<>();
        List<int[]> windows = windows(in.control().size(), window);
        for (int[] w : windows) {
            List<byte[]> control = new ArrayList<>(in.control().subList(w[0], w[1]));
            while (control.size() < w[2]) control.add(control.get(control.size() - 1));
            try (PointerScope scope = new PointerScope()) {
                Tensor c = VideoClips.video(control, width, height);
                Tensor reference = VideoClips.video(List.of(in.reference()), width, height);
                frames.addAll(GenOutputs.frames(sampler.sample(generator, c, reference, seed), 0).subList(0, w[1] - w[0]));
            }
            if (progress != null && windows.size() > 1) {
                progress.printf(Locale.ROOT, "  frames %d-%d of %d (%.1f s)%n", w[0], w[1] - 1, in.control().size(), (System.nanoTime() - t0) / 1e9);
            }
        }
        if (in.referenceControl() != null) frames = ReferencePaste.apply(frames, in.control(), in.referenceControl(), in.reference(), width, height, ReferencePaste.TOLERANCE);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(frames, in.truth() == null ? null : Metrics.of(frames, in.truth(), in.reference(), width, height), seconds);
    }

    /**
     * From a synthetic clip: control normal/ frames start .. start + n - 1 (every frame from start when n is
     * null), reference rgb/ frame {@code referenceFrame}, truth rgb/.
     */
    public static Input fromClip(Path dir, int referenceFrame, int start, Integer n) {
        if (!Files.isDirectory(dir)) throw new InputException(dir + ": no such clip folder");
        VideoClips.Clip c = VideoClips.read(dir);
        if (referenceFrame < 0 || referenceFrame >= c.frames()) throw new InputException(dir + ": no reference frame " + referenceFrame + " (the clip has " + c.frames() + ")");
        int count = n == null ? c.frames() - start : n;
        if (count < 1 && start >= 0 && start < c.frames()) throw new InputException(dir + ": no frames to generate (" + count + " from frame " + start + " asked for)");
        if (start < 0 || count < 1 || start + count > c.frames()) {
            throw new InputException(dir + ": frames " + start + " to " + (start + count - 1) + " asked for, the clip has 0 to " + (c.frames() - 1));
        }
        return new Input(dir.toString(), c.width(), c.height(), List.of(c.normals()).subList(start, start + count), c.rgb()[referenceFrame],
                c.normals()[referenceFrame], List.of(c.rgb()).subList(start, start + count));
    }

    /**
     * From a folder of normal-map PNGs (NNNNNN.png, frames start .. start + n - 1, or every consecutive frame
     * from start when n is null), a reference PNG and, if not null, the reference's own normal map (PNG); no truth.
     */
    public static Input fromFolders(Path controlDir, Path referencePng, Path referenceNormals, int start, Integer n) {
        if (!Files.isDirectory(controlDir)) throw new InputException(controlDir + ": no such folder of normal maps");
        if (!Files.isRegularFile(referencePng)) throw new InputException(referencePng + ": no such reference image");
        if (start < 0 || (n != null && n < 1)) throw new InputException(controlDir + ": no frames to generate (" + n + " from frame " + start + " asked for)");
        Png.Image ref = Png.read8(referencePng, 3);
        byte[] referenceControl = null;
        if (referenceNormals != null) {
            if (!Files.isRegularFile(referenceNormals)) throw new InputException(referenceNormals + ": no such normal map of the reference");
            Png.Image rn = Png.read8(referenceNormals, 3);
            if (rn.width() != ref.width() || rn.height() != ref.height()) {
                throw new InputException(referenceNormals + ": " + rn.width() + "x" + rn.height() + " px, the reference is " + ref.width() + "x" + ref.height());
            }
            referenceControl = rn.bytes();
        }
        List<byte[]> control = new ArrayList<>();
        for (int f = start; n == null || f < start + n; f++) {
            Path p = controlDir.resolve(String.format(Locale.ROOT, "%06d.png", f));
            if (!Files.isRegularFile(p)) {
                if (n == null && f > start) break; // the end of the sequence
                throw new InputException(p + ": missing control frame (" + (n == null ? "every frame" : n + " frames") + " from " + start + " asked for)");
            }
            Png.Image img = Png.read8(p, 3);
            if (img.width() != ref.width() || img.height() != ref.height()) {
                throw new InputException(p + ": " + img.width() + "x" + img.height() + " px, the reference is " + ref.width() + "x" + ref.height());
            }
            control.add(img.bytes());
        }
        return new Input(controlDir.toString(), ref.width(), ref.height(), control, ref.bytes(), referenceControl, null);
    }

    /**
     * Writes into {@code out}: frames/NNNNNN.png, video.mp4, compare.mp4 (control | generated | truth), strip.png
     * and, with truth, metrics.json; first into a
     * sibling folder, moved into place when complete, so a failure leaves no partial output.
     */
    public static void write(Path out, Input in, Result r, double fps, Map<String, String> provenance) {
        Path parent = out.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + out.getFileName() + ".");
            try {
                Path frames = Files.createDirectories(tmp.resolve("frames"));
                for (int f = 0; f < r.frames().size(); f++) {
                    Png.writeRgb(frames.resolve(String.format(Locale.ROOT, "%06d.png", f)), in.width(), in.height(), r.frames().get(f), provenance);
                }
                Mp4.write(tmp.resolve("video.mp4"), r.frames(), in.width(), in.height(), fps, provenance);
                List<List<byte[]>> columns = new ArrayList<>(List.of(in.control(), r.frames()));
                if (in.truth() != null) columns.add(in.truth());
                Mp4.write(tmp.resolve("compare.mp4"), GenOutputs.sideBySide(columns, in.width(), in.height()), columns.size() * in.width(), in.height(), fps, provenance);
                GenOutputs.strip(tmp.resolve("strip.png"), in.reference(), in.control(), r.frames(), in.truth(), in.width(), in.height());
                if (r.metrics() != null) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("format", "expportrait.gen-metrics");
                    m.put("version", "1");
                    m.put("psnr", Double.isFinite(r.metrics().psnr()) ? (Object) r.metrics().psnr() : "Infinity");
                    m.put("ssim", r.metrics().ssim());
                    m.put("l1", r.metrics().l1());
                    m.put("movedPsnr", Double.isFinite(r.metrics().movedPsnr()) ? (Object) r.metrics().movedPsnr() : Double.toString(r.metrics().movedPsnr()));
                    m.put("psnrPerFrame", boxed(r.metrics().psnrPerFrame()));
                    m.put("ssimPerFrame", boxed(r.metrics().ssimPerFrame()));
                    m.put("l1PerFrame", boxed(r.metrics().l1PerFrame()));
                    m.put("seconds", r.seconds());
                    Files.writeString(tmp.resolve("metrics.json"), Json.write(m), StandardCharsets.UTF_8);
                }
                AtomicFiles.replaceFolder(tmp, out);
            } catch (RuntimeException | IOException e) {
                AtomicFiles.deleteRecursively(tmp);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Per-frame values for JSON (infinite PSNR of a perfect frame as the string "Infinity"). */
    private static List<Object> boxed(double[] v) {
        List<Object> out = new ArrayList<>();
        for (double x : v) out.add(Double.isFinite(x) ? (Object) x : Double.toString(x));
        return out;
    }

    /** Sample strips during training: one fixed held-out window (or a training one when nothing is held out). */
    public static Strips strips(Generator g, VideoClips clips, GenTrainConfig cfg, Path folder) {
        List<VideoClips> split = clips.split(cfg.validation(), cfg.seed());
        VideoClips from = split.get(1) != null ? split.get(1) : split.get(0);
        VideoClips.Clip c = from.clips().get(0);
        int n = Math.min(cfg.frames(), 1 + 4 * ((c.frames() - 2) / 4));
        Input in = new Input(c.name(), c.width(), c.height(), List.of(c.normals()).subList(1, 1 + n), c.rgb()[0], null, List.of(c.rgb()).subList(1, 1 + n)); // the network's own frames
        return new Strips(new Reenactment(g, new Sampler(NoiseSchedule.ddpm(), 20, Sampler.DEFAULT_GUIDANCE, Sampler.DEFAULT_START), n), in, folder);
    }

    /** Writes {@code step-NNNNNN.png} into its folder for each step it is given. */
    public record Strips(Reenactment reenactment, Input input, Path folder) {
        public void write(int step) {
            Result r = reenactment.run(input, 1, input.width(), input.height());
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw new UncheckedIOException(folder + ": cannot create: " + e.getMessage(), e);
            }
            GenOutputs.strip(folder.resolve(String.format(Locale.ROOT, "step-%06d.png", step)), input.reference(), input.control(), r.frames(),
                    input.truth(), input.width(), input.height());
            System.out.printf(Locale.ROOT, "  sample at step %d: PSNR %.2f dB, SSIM %.4f on %s%n", step, r.metrics().psnr(), r.metrics().ssim(), input.name());
        }
    }
}
