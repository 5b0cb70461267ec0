package dev.expportrait.cli;

import dev.expportrait.fit.ClipObservations;
import dev.expportrait.fit.FitConfig;
import dev.expportrait.fit.FitOutputs;
import dev.expportrait.fit.HeadFitter;
import dev.expportrait.fit.Observations;
import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.io.InputException;
import dev.expportrait.synth.ClipTruth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.global.torch.ScalarType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expportrait fit}: the personalized head representation of one clip (Sec. 3.1.2-3.1.3). */
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = {"Fit the personalized head representation to a clip folder written by 'expportrait synth' (its estimated landmarks, normals and depth; never its ground truth): shape, per-frame expression and pose, the identity offset field D_id and the per-frame expression offset fields D_exp,t.",
            "Writes OUT (the PersonalHead, safetensors) and beside it OUT-STEM.loss.png (loss curves), OUT-STEM.overlay.mp4 (the fitted normals over every frame) and, when the clip has ground truth, OUT-STEM.errors.json (also printed as a table).",
            "Weights, iterations and learning rates come from --config (JSON: {\"level\", \"seed\", \"tracking\": {...}, \"details\": {...}}; missing keys keep the defaults)."},
        footer = {"", "Examples:",
            "  expportrait synth --identities 1 --frames 24 --out data",
            "  expportrait fit --clip data/id000/clip00 --out out/subject.head",
            "  expportrait fit --clip data/id000/clip00 --frames 8 --no-dense --out q.head",
            "  expportrait fit --clip data/id000/clip00 --frame 0 --out portrait.head",
            "  expportrait fit --clip data/id000/clip00 --config fit.json --out b.head",
            "  expportrait fit --clip data/id000/clip00 --level 2 --seed 3 --out c.head"})
final class FitCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Spec
    CommandSpec spec;

    @Option(names = "--clip", required = true, paramLabel = "DIR", description = "Clip folder (clip.safetensors, rgb/, estimated/, mask/).")
    Path clip;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The PersonalHead file to write, e.g. subject.head; its folder is created.")
    Path out;

    @Option(names = "--config", paramLabel = "JSON", description = "Fit config; default: the built-in defaults (meant for the synthetic world at 256 px).")
    Path config;

    @Option(names = "--frames", paramLabel = "N", description = "Fit only the first N frames (default: all).")
    Integer frames;

    @Option(names = "--frame", paramLabel = "K", description = "Single-image mode: fit frame K alone (0-based).")
    Integer frame;

    @Option(names = "--no-dense", description = "Landmarks only: ignore the normal, depth and mask maps (faster, less detail).")
    boolean noDense;

    @Option(names = "--level", paramLabel = "L", description = "Upsampling levels of the dense mesh, 0-2 (default: the config's, 1).")
    Integer level;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the frame order in the detail stage (default: the config's, 1).")
    Long seed;

    @Override
    public Integer call() {
        FitConfig cfg = config();
        checkFrameOptions();
        checkOutput();
        HeadModel m = model.load();
        Observations obs = select(ClipObservations.read(clip, m.numLandmarks(), !noDense));
        DenseHead head = new DenseHead(m, HeadSubset.select(m), cfg.level(), ScalarType.Float);
        ClipTruth truth = truth(head, obs.frames());
        System.out.printf(Locale.ROOT, "fitting %d frame%s of %dx%d px from %s (%s), model %s, level %d, %d dense vertices%n",
                obs.frames(), obs.frames() == 1 ? "" : "s", obs.width(), obs.height(), clip, obs.hasDense() ? "landmarks and dense maps" : "landmarks only",
                m.name(), cfg.level(), head.numVertices());
        HeadFitter.Result result = new HeadFitter(head, cfg).fit(obs, System.out);
        System.out.printf(Locale.ROOT, "fitted in %.1f s (%.2f s per frame); writing the outputs...%n", result.seconds(), result.seconds() / obs.frames());
        FitOutputs.Written w = FitOutputs.write(out, result, obs, head, truth, provenance(cfg));
        if (w.fitErrors() != null) {
            System.out.println("errors against the ground truth:");
            FitOutputs.table(w.fitErrors()).forEach(System.out::println);
            System.out.println("wrote " + w.errors());
        }
        System.out.println("wrote " + w.lossPlot());
        System.out.println("wrote " + w.overlay());
        System.out.println("wrote " + w.head());
        return 0;
    }

    /** The config file or the defaults, with --level and --seed applied. */
    private FitConfig config() {
        FitConfig c = config == null ? FitConfig.DEFAULT : FitConfig.read(config);
        if (level != null && (level < 0 || level > 2)) {
            throw new InputException("--level " + level + ": must be 0, 1 or 2");
        }
        return new FitConfig(level == null ? c.level() : level, seed == null ? c.seed() : seed, c.tracking(), c.details());
    }

    private void checkFrameOptions() {
        if (frames != null && frame != null) {
            throw new InputException("--frames and --frame exclude each other: fit the first N frames or frame K alone");
        }
        if (frames != null && frames < 1) {
            throw new InputException("--frames " + frames + ": must be at least 1");
        }
        if (frame != null && frame < 0) {
            throw new InputException("--frame " + frame + ": must be 0 or more");
        }
    }

    /**
     * Refuses, before minutes of fitting, an output that cannot be written: a folder, or a path under a file.
     * A missing folder is fine: the atomic writes create it.
     */
    private void checkOutput() {
        if (Files.isDirectory(out)) {
            throw new InputException(out + ": is a folder; --out names the PersonalHead file to write, e.g. " + out.resolve("subject.head"));
        }
        for (Path p = out.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new InputException(out + ": cannot create its folder, " + p + " is a file");
                }
                if (!Files.isWritable(p)) {
                    throw new InputException(out + ": cannot write under " + p + " (permission denied)");
                }
                return;
            }
        }
    }

    /** The frames the options ask for. */
    private Observations select(Observations all) {
        if (frame != null) {
            if (frame >= all.frames()) {
                throw new InputException("--frame " + frame + ": the clip " + clip + " has frames 0 .. " + (all.frames() - 1));
            }
            return all.frame(frame);
        }
        return frames == null ? all : all.firstFrames(frames);
    }

    /** The clip's ground truth for the fitted frames, or null (none in the clip, or at another mesh level). */
    private ClipTruth truth(DenseHead head, int fitted) {
        ClipTruth truth = ClipTruth.readIfPresent(clip);
        if (truth == null) {
            return null;
        }
        if (truth.identityOffsets().length != head.numVertices() * 3) {
            System.out.printf("note: the clip's ground truth is on another dense mesh than this fit's (level %d); fit at the clip's model and level to get errors%n",
                    head.upsampler().levels());
            return null;
        }
        return truth.frames(frame != null ? frame : 0, fitted);
    }

    private Map<String, String> provenance(FitConfig cfg) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("command", Main.typed(spec));
        p.put("seed", Long.toString(cfg.seed()));
        p.put("config", cfg.toJson());
        return p;
    }
}
