package dev.expportrait.fit;

import dev.expportrait.head.DenseHead;
import dev.expportrait.io.AtomicFiles;
import dev.expportrait.io.Json;
import dev.expportrait.io.Mp4;
import dev.expportrait.render.MapImages;
import dev.expportrait.synth.ClipTruth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Everything a fit leaves on disk, written the same way by {@code expportrait fit} and by the demo. Beside
 * {@code <stem>.head} (the {@link PersonalHeadFile}): {@code <stem>.loss.png}, the loss curves, one
 * {@link LossPlot} panel per stage; {@code <stem>.overlay.mp4}, the fitted normals over every frame ({@link FitOverlay}); and,
 * when the clip has ground truth, {@code <stem>.errors.json} ({@link FitErrors}). Every file is atomic and
 * the head file comes last: a failure part-way removes the files this call already wrote, and a new
 * {@code .head} appears only together with all of its companions.
 */
public final class FitOutputs {
    public static final String ERRORS_FORMAT = "expportrait.fit-errors";
    public static final String ERRORS_VERSION = "1";
    /** Size of one stage's panel of the loss plot, pixels. */
    static final int PLOT_WIDTH = 800, PLOT_HEIGHT = 360;

    private FitOutputs() {}

    /**
     * What was written.
     *
     * @param head the PersonalHead file
     * @param lossPlot the loss-curve PNG
     * @param overlay the overlay MP4
     * @param errors the errors JSON, or null without ground truth
     * @param fitErrors the errors against ground truth, or null without it
     */
    public record Written(Path head, Path lossPlot, Path overlay, Path errors, FitErrors fitErrors) {}

    /** One column of the error table: JSON key, label and unit for people, and where the value lives. */
    private record Row(String key, String label, String unit, ToDoubleFunction<FitErrors> value) {}

    private static final List<Row> ROWS = List.of(
            new Row("faceVertexError", "face vertex error (aligned)", "% of head width", FitErrors::faceVertexError),
            new Row("faceVertexErrorAbsolute", "face vertex error (absolute)", "% of head width", FitErrors::faceVertexErrorAbsolute),
            new Row("visibleVertexError", "visible vertex error (aligned)", "% of head width", FitErrors::visibleVertexError),
            new Row("medianFaceNormalError", "median face normal error", "degrees", FitErrors::medianFaceNormalError),
            new Row("landmarkError", "landmark reprojection error", "px", FitErrors::landmarkError),
            new Row("identityCorrelation", "D_id correlation", "", FitErrors::identityCorrelation),
            new Row("leakage", "leakage |mean D_exp| / |D_id|", "", FitErrors::leakage),
            new Row("expressionError", "expression coefficient MAE", "", FitErrors::expressionError),
            new Row("headRotationError", "head rotation error", "degrees", FitErrors::headRotationError),
            new Row("jawError", "jaw rotation error", "degrees", FitErrors::jawError));

    /**
     * Writes the outputs of one fit.
     *
     * @param headFile where the PersonalHead goes; the other files take its name without the last extension
     * @param result the fit
     * @param obs the observations it was fitted to (their RGB frames under the overlay, their fps for the video)
     * @param head the dense head of the fit
     * @param truth the ground truth of exactly the fitted frames, or null
     * @param provenance metadata for every file (command line, seed, config)
     */
    public static Written write(Path headFile, HeadFitter.Result result, Observations obs, DenseHead head, ClipTruth truth,
                                Map<String, String> provenance) {
        PersonalHead fit = result.head();
        Path loss = sibling(headFile, ".loss.png"), overlay = sibling(headFile, ".overlay.mp4");
        Path errorsFile = truth == null ? null : sibling(headFile, ".errors.json");
        List<Path> written = new ArrayList<>();
        try {
            lossPlot(result.curves()).writePng(loss, provenance);
            written.add(loss);
            writeOverlay(overlay, FitOverlay.frames(head, fit, obs), obs.width(), obs.height(), obs.fps(), provenance);
            written.add(overlay);
            FitErrors errors = null;
            if (truth != null) {
                errors = FitErrors.of(head, fit, truth);
                AtomicFiles.write(errorsFile, errorsJson(errors, fit, result.seconds()).getBytes(StandardCharsets.UTF_8));
                written.add(errorsFile);
            }
            PersonalHeadFile.write(headFile, fit, provenance);
            return new Written(headFile, loss, overlay, errorsFile, errors);
        } catch (RuntimeException | Error e) {
            for (Path p : written) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * One {@link LossPlot} panel per stage ("tracking/...", "details/..."), stacked top to bottom: the stages
     * run hundreds and a handful of steps, and on one shared iteration axis the second would be a smudge.
     */
    static MapImages.Rgb lossPlot(Map<String, double[]> curves) {
        Map<String, Map<String, double[]>> stages = new LinkedHashMap<>();
        curves.forEach((name, values) -> {
            int slash = name.indexOf('/');
            stages.computeIfAbsent(slash > 0 ? name.substring(0, slash) : "", k -> new LinkedHashMap<>()).put(name, values);
        });
        if (stages.isEmpty()) stages.put("", curves);
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        for (Map<String, double[]> stage : stages.values()) {
            rows.writeBytes(LossPlot.plot(stage, PLOT_WIDTH, PLOT_HEIGHT).data()); // row-major: stacking is appending
        }
        return new MapImages.Rgb(PLOT_WIDTH, PLOT_HEIGHT * stages.size(), rows.toByteArray());
    }

    /** {@code file} with its last extension replaced by {@code suffix}: subject.head -> subject.loss.png. */
    public static Path sibling(Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + suffix);
    }

    /** The errors as aligned lines, one per column of the accuracy benchmark. */
    public static List<String> table(FitErrors e) {
        List<String> lines = new ArrayList<>();
        for (Row r : ROWS) {
            lines.add(String.format(Locale.ROOT, "  %-30s %9.3f %s", r.label(), r.value().applyAsDouble(e), r.unit()).stripTrailing());
        }
        return lines;
    }

    /** One line: the three errors a user looks at first. */
    public static String summary(FitErrors e) {
        return String.format(Locale.ROOT, "face vertex error %.2f%% of head width (aligned), median face normal error %.1f deg, landmarks %.2f px",
                e.faceVertexError(), e.medianFaceNormalError(), e.landmarkError());
    }

    /** {@code {"format", "version", "source", "frames", "seconds", "errors": {key: value}, "units": {key: unit}}}. */
    static String errorsJson(FitErrors e, PersonalHead fit, double seconds) {
        Map<String, Object> values = new LinkedHashMap<>(), units = new LinkedHashMap<>();
        for (Row r : ROWS) {
            double v = r.value().applyAsDouble(e);
            // JSON has no NaN (a correlation of an all-zero D_id is one): keep it, as a string.
            values.put(r.key(), Double.isFinite(v) ? (Object) v : Double.toString(v));
            units.put(r.key(), r.unit());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", ERRORS_FORMAT);
        m.put("version", ERRORS_VERSION);
        m.put("source", fit.source());
        m.put("frames", (long) fit.frames());
        m.put("seconds", seconds);
        m.put("errors", values);
        m.put("units", units);
        return Json.write(m);
    }

    /** yuv420p needs even sizes: an odd last row or column is dropped. */
    private static void writeOverlay(Path file, List<byte[]> frames, int width, int height, double fps, Map<String, String> meta) {
        int w = width & ~1, h = height & ~1;
        List<byte[]> even = frames;
        if (w != width || h != height) {
            even = new ArrayList<>(frames.size());
            for (byte[] f : frames) {
                byte[] c = new byte[w * h * 3];
                for (int y = 0; y < h; y++) System.arraycopy(f, y * width * 3, c, y * w * 3, w * 3);
                even.add(c);
            }
        }
        Map<String, String> tags = new LinkedHashMap<>(meta);
        // The MP4 muxer keeps only its standard tags: the command goes in "comment".
        if (meta.containsKey("command")) tags.putIfAbsent("comment", meta.get("command"));
        Mp4.write(file, even, w, h, fps, tags);
    }
}
