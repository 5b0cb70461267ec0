package dev.expportrait.cli;

import dev.expportrait.fit.FitOutputs;
import dev.expportrait.gen.GenOutputs;
import dev.expportrait.gen.GenTrainConfig;
import dev.expportrait.gen.GenTrainer;
import dev.expportrait.gen.Generator;
import dev.expportrait.gen.GeneratorFile;
import dev.expportrait.gen.NoiseSchedule;
import dev.expportrait.gen.Sampler;
import dev.expportrait.gen.Reenactment;
import dev.expportrait.gen.VideoClips;
import dev.expportrait.io.InputException;
import dev.expportrait.pipeline.ShippedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expportrait gen ...}: the video diffusion generator (Sec. 3.3). */
@Command(name = "gen", mixinStandardHelpOptions = true,
        description = "Train the video diffusion generator (causal VAE, then the DiT denoiser with its pose and reference encoders; Sec. 3.3) and generate videos from normal maps and a reference image.",
        subcommands = {GenCommand.TrainVae.class, GenCommand.Train.class, GenCommand.Sample.class},
        footer = {"", "Examples:",
            "  expportrait gen train-vae --data data/transfer-train --out out/gen/vae.safetensors",
            "  expportrait gen train --data data/transfer-train --vae out/gen/vae.safetensors --half --out models/generator.safetensors",
            "  expportrait gen sample --clip data/held-out/id000/clip00 --out out/sample"})
final class GenCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Options both training commands share. */
    abstract static class TrainOptions {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, split = ",", paramLabel = "DIR", description = "Synthetic dataset or clip folders (rgb/ and normal/ per clip; repeatable or comma-separated).")
        List<Path> data;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The weights to write (safetensors).")
        Path out;

        @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps (default: the stage's).")
        Integer steps;

        @Option(names = "--batch", paramLabel = "N", description = "Windows per step (default: 4).")
        Integer batch;

        @Option(names = "--frames", paramLabel = "N", description = "Frames per window, 1 + 4k (default: the stage's).")
        Integer frames;

        @Option(names = "--learning-rate", paramLabel = "R", description = "Peak AdamW learning rate (default: the stage's).")
        Double learningRate;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the weights, split, batches and noise (default: ${DEFAULT-VALUE}).")
        long seed;

        GenTrainConfig config(GenTrainConfig defaults) {
            GenTrainConfig c = defaults.withSeed(seed);
            try {
                if (steps != null) c = c.withSteps(steps);
                if (batch != null || frames != null) c = c.withBatch(batch == null ? c.batch() : batch, frames == null ? c.frames() : frames);
                if (learningRate != null) c = c.withLearningRate(learningRate, c.warmup());
            } catch (IllegalArgumentException e) {
                throw new InputException("a training option is out of range: " + e.getMessage());
            }
            return c;
        }

        VideoClips clips() {
            if (Files.isDirectory(out)) throw new InputException(out + ": is a folder; --out names the weights file to write");
            System.out.println("reading the training clips...");
            VideoClips clips = VideoClips.load(data);
            if (clips.width() % 8 != 0 || clips.height() % 8 != 0) {
                throw new InputException(data + ": frames of " + clips.width() + "x" + clips.height() + " px; the generator needs multiples of 8");
            }
            System.out.printf(Locale.ROOT, "  %d clips of %dx%d px%n", clips.clips().size(), clips.width(), clips.height());
            return clips;
        }

        Map<String, String> provenance(GenTrainConfig c) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("command", Main.typed(spec));
            p.put("data", data.toString());
            p.put("config", c.toJson());
            return p;
        }
    }

    @Command(name = "train-vae", mixinStandardHelpOptions = true,
            description = {"Train the causal video VAE (L1 reconstruction + KL; with --ssim also an SSIM term) on the clips' frames.",
                "Writes OUT (the EMA weights, kind vae), OUT-STEM.ckpt.safetensors (the checkpoint: run the same command again to resume) and OUT-STEM.loss.png."},
            footer = {"", "Examples:", "  expportrait gen train-vae --data data/transfer-train --out out/gen/vae.safetensors",
                "  expportrait gen train-vae --data data/transfer-train --ssim 0.1 --out out/gen/vae-ssim.safetensors"})
    static final class TrainVae extends TrainOptions implements Callable<Integer> {
        @Option(names = "--vae-channels", defaultValue = "16", paramLabel = "N", description = "Width of the VAE's first stage, a multiple of 8 (default: ${DEFAULT-VALUE}).")
        int channels;

        @Option(names = "--latent-channels", defaultValue = "8", paramLabel = "N", description = "Latent channels Z (default: ${DEFAULT-VALUE}).")
        int latent;

        @Option(names = "--ssim", defaultValue = "0", paramLabel = "W", description = "Weight of the SSIM term: W (1 - SSIM) of the reconstruction beside L1 and KL (default: ${DEFAULT-VALUE}, none).")
        double ssim;

        @Override
        public Integer call() {
            GenTrainConfig cfg = config(GenTrainConfig.vaeDefaults());
            try {
                cfg = cfg.withSsim(ssim);
            } catch (IllegalArgumentException e) {
                throw new InputException("--ssim " + ssim + ": must be 0 or more");
            }
            Generator.Sizes d = Generator.Sizes.defaults();
            Generator.Sizes sizes;
            try {
                sizes = new Generator.Sizes(new dev.expportrait.gen.VideoVae.Sizes(channels, latent, 2), d.poseChannels(), d.referenceChannels(),
                        d.encoderWidth(), d.hidden(), d.depth(), d.heads());
            } catch (IllegalArgumentException e) {
                throw new InputException("--vae-channels " + channels + " --latent-channels " + latent + ": " + e.getMessage());
            }
            VideoClips clips = clips();
            if (ssim > 0 && (clips.width() < 11 || clips.height() < 11)) {
                throw new InputException(data + ": frames of " + clips.width() + "x" + clips.height() + " px; the SSIM term (--ssim) needs at least 11 px each way");
            }
            Generator g = new Generator(sizes, seed);
            Path checkpoint = FitOutputs.sibling(out, ".ckpt.safetensors");
            Map<String, String> provenance = provenance(cfg);
            GenTrainer.Result r = new GenTrainer(cfg, GenTrainer.Stage.VAE).train(g, clips, checkpoint, provenance, System.out, null);
            finish(r, g, false, false, clips, cfg, provenance, checkpoint, out, "causal VAE training (L1, validation: held-out L1)");
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train the denoiser (pose encoder, reference encoder, DiT) on the noise-prediction loss of Eq. 10, the VAE frozen; the reference is dropped 10%% of the time for classifier-free guidance.",
                "Writes OUT (the VAE and the EMA denoiser: the generator), OUT-STEM.ckpt.safetensors (the checkpoint: run the same command again to resume), OUT-STEM.loss.png and OUT-STEM.samples/ (sample strips: reference | control | generated | ground truth)."},
            footer = {"", "Example:", "  expportrait gen train --data data/transfer-train --vae out/gen/vae.safetensors --half --out models/generator.safetensors"})
    static final class Train extends TrainOptions implements Callable<Integer> {
        @Option(names = "--vae", required = true, paramLabel = "FILE", description = "The trained VAE (gen train-vae's output).")
        Path vae;

        @Option(names = "--half", description = "Store the weights as float16 (half the size).")
        boolean half;

        @Option(names = "--min-snr", defaultValue = "0", paramLabel = "GAMMA", description = "Min-SNR weighting of Eq. 10: each window's noise error weighted by min(SNR(t), GAMMA) / SNR(t), so the nearly clean timesteps do not dominate (default: ${DEFAULT-VALUE}, unweighted).")
        double minSnr;

        @Option(names = "--init", paramLabel = "FILE", description = "Start the denoiser from this generator's weights (same sizes; weights it lacks start as new) instead of a fresh one.")
        Path init;

        @Option(names = "--hidden", defaultValue = "192", paramLabel = "D", description = "DiT token width, heads x a multiple of 6 (default: ${DEFAULT-VALUE}).")
        int hidden;

        @Option(names = "--depth", defaultValue = "6", paramLabel = "N", description = "DiT blocks (default: ${DEFAULT-VALUE}).")
        int depth;

        @Option(names = "--heads", defaultValue = "4", paramLabel = "N", description = "Attention heads (default: ${DEFAULT-VALUE}).")
        int heads;

        @Override
        public Integer call() {
            if (!(minSnr >= 0)) throw new InputException("--min-snr " + minSnr + ": must be 0 (none) or more");
            GenTrainConfig cfg = config(GenTrainConfig.denoiserDefaults()).withMinSnr(minSnr);
            GeneratorFile.Contents v = GeneratorFile.read(vae);
            Generator.Sizes s = v.generator().sizes();
            Generator.Sizes sizes;
            try {
                sizes = new Generator.Sizes(s.vae(), s.poseChannels(), s.referenceChannels(), s.encoderWidth(), hidden, depth, heads);
            } catch (IllegalArgumentException e) {
                throw new InputException("--hidden " + hidden + " --depth " + depth + " --heads " + heads + ": " + e.getMessage());
            }
            VideoClips clips = clips();
            Generator g = new Generator(sizes, v.generator().vae(), seed, 1);
            if (init != null) {
                GeneratorFile.Init start = GeneratorFile.initDenoiser(init, g);
                System.out.println("denoiser from " + init + (start.fresh().isEmpty() ? "" : "; new, from their initial values: " + String.join(", ", start.fresh())));
                if (!start.sameVae()) System.out.println("warning: " + init + " was trained with another VAE than " + vae + ": its denoiser starts in another latent space");
            }
            Path checkpoint = FitOutputs.sibling(out, ".ckpt.safetensors");
            Path samples = FitOutputs.sibling(out, ".samples");
            Map<String, String> provenance = provenance(cfg);
            provenance.put("vae", vae.toString());
            if (init != null) provenance.put("init", init.toString());
            Reenactment.Strips strips = Reenactment.strips(g, clips, cfg, samples);
            GenTrainer.Result r = new GenTrainer(cfg, GenTrainer.Stage.DENOISER).train(g, clips, checkpoint, provenance, System.out, strips::write);
            finish(r, g, true, half, clips, cfg, provenance, checkpoint, out, "denoiser training (Eq. 10, validation: held-out Eq. 10)");
            System.out.println("wrote " + samples);
            return 0;
        }
    }

    static void finish(GenTrainer.Result r, Generator g, boolean full, boolean half, VideoClips clips, GenTrainConfig cfg,
                       Map<String, String> provenance, Path checkpoint, Path out, String title) {
        double last = r.validation().length == 0 ? Double.NaN : r.validation()[r.validation().length - 1];
        provenance.put("steps", Integer.toString(cfg.steps()));
        provenance.put("validationLoss", Double.toString(last));
        GeneratorFile.write(out, g, full, clips.width(), clips.height(), cfg.frames(), half, provenance);
        Path plot = FitOutputs.sibling(out, ".loss.png");
        GenOutputs.lossPlot(plot, r, title);
        System.out.printf(Locale.ROOT, "trained in %.1f s (%.2f samples/s); final validation loss %.5f%n", r.seconds(), r.samplesPerSecond(), last);
        System.out.println("wrote " + plot);
        System.out.println("wrote " + checkpoint);
        System.out.println("wrote " + out);
    }

    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = {"Generate a video of the reference image's person following a control video of normal maps (DDIM with classifier-free guidance on the reference).",
                "Control and reference come from a synthetic clip (--clip: its normal/ maps, its frame --reference-frame as reference, its rgb/ frames as ground truth) or from --control (a folder of normal-map PNGs, e.g. transfer apply's normals/) and --reference (a PNG).",
                "When the reference's own normal map is known (--clip, or --reference-normals with --control), the reference's pixels are kept wherever the control shows nothing changed: the background, and surfaces whose normals are those of the reference (--full-frame: the generator's whole frames).",
                "Writes into --out: frames/NNNNNN.png, video.mp4, strip.png (reference | control | generated | ground truth) and, with ground truth, metrics.json (PSNR, SSIM, L1 per frame and mean)."},
            footer = {"", "Examples:",
                "  expportrait gen sample --clip data/held-out/id000/clip00 --out out/sample",
                "  expportrait gen sample --control out/transfer/normals --reference portrait.png --steps 50 --guidance 2 --out out/reenacted",
                "  expportrait gen sample --control out/transfer/normals --reference portrait.png --reference-normals out/transfer/reference-normal.png --out out/reenacted"})
    static final class Sample implements Callable<Integer> {
        @Option(names = "--model", paramLabel = "FILE", description = "Generator weights (default: the shipped models/generator.safetensors).")
        Path model;

        @Option(names = "--clip", paramLabel = "DIR", description = "A synthetic clip folder (normal/ and rgb/).")
        Path clip;

        @Option(names = "--control", paramLabel = "DIR", description = "A folder of normal-map PNGs NNNNNN.png (with --reference).")
        Path control;

        @Option(names = "--reference", paramLabel = "PNG", description = "The reference image (with --control).")
        Path reference;

        @Option(names = "--reference-frame", defaultValue = "0", paramLabel = "F", description = "With --clip: the frame used as reference (default: ${DEFAULT-VALUE}).")
        int referenceFrame;

        @Option(names = "--reference-normals", paramLabel = "PNG", description = "With --control: the reference's own normal map (e.g. transfer apply's reference-normal.png); the reference's pixels are then kept where the control shows nothing changed.")
        Path referenceNormals;

        @Option(names = "--full-frame", description = "Keep the generator's whole frames: no reference pixels kept where the control is unchanged (with --clip, or --reference-normals, they are kept by default).")
        boolean fullFrame;

        @Option(names = "--start", defaultValue = "1", paramLabel = "F", description = "First control frame (default: ${DEFAULT-VALUE}).")
        int start;

        @Option(names = "--frames", paramLabel = "N", description = "Frames to generate (default: every control frame from --start); more than the model's window (9) are generated window by window.")
        Integer frames;

        @Option(names = "--steps", defaultValue = "25", paramLabel = "N", description = "DDIM steps (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--guidance", defaultValue = "" + Sampler.DEFAULT_GUIDANCE, paramLabel = "W", description = "Classifier-free guidance scale on the reference; 1 is none (default: ${DEFAULT-VALUE}).")
        double guidance;

        @Option(names = "--start-timestep", defaultValue = "" + Sampler.DEFAULT_START, paramLabel = "T", description = "Timestep sampling starts at: 999 from pure noise; lower, from the reference's latent noised to T, which keeps its colours and background (default: ${DEFAULT-VALUE}, best in bench/gen.sh).")
        int startTimestep;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the starting noise (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--fps", defaultValue = "25", paramLabel = "FPS", description = "Frame rate of video.mp4 (default: ${DEFAULT-VALUE}).")
        double fps;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
        Path out;

        @Override
        public Integer call() {
            if ((clip == null) == (control == null)) throw new InputException("give either --clip DIR or --control DIR with --reference PNG");
            if (control != null && reference == null) throw new InputException("--control needs --reference PNG");
            if (Files.isRegularFile(out)) throw new InputException(out + ": is a file; --out names a folder");
            Path weights = model == null ? ShippedModels.path(ShippedModels.GENERATOR) : model;
            GeneratorFile.Contents c = GeneratorFile.read(weights);
            if (!c.hasDenoiser()) throw new InputException(weights + ": a VAE alone (kind vae); sampling needs a generator from gen train");
            if (clip != null && referenceNormals != null) throw new InputException("--reference-normals goes with --control; a clip's own normal map of the reference frame is used");
            Reenactment.Input in = clip != null ? Reenactment.fromClip(clip, referenceFrame, start, frames)
                    : Reenactment.fromFolders(control, reference, referenceNormals, start, frames);
            if (fullFrame) in = in.withoutReferenceControl();
            int n = in.control().size();
            Sampler sampler;
            try {
                sampler = new Sampler(NoiseSchedule.ddpm(), steps, guidance, startTimestep);
            } catch (IllegalArgumentException e) {
                throw new InputException("--steps " + steps + " --guidance " + guidance + " --start-timestep " + startTimestep + ": " + e.getMessage());
            }
            Reenactment.Result r = new Reenactment(c.generator(), sampler, c.frames()).run(in, seed, c.width(), c.height(), System.out);
            Reenactment.write(out, in, r, fps, Map.of("command", "expportrait gen sample", "model", weights.toString()));
            System.out.printf(Locale.ROOT, "generated %d frames of %dx%d in %.1f s (%.2f s per frame, %d DDIM steps, guidance %.2f)%n",
                    n, c.width(), c.height(), r.seconds(), r.seconds() / n, steps, guidance);
            if (r.metrics() != null) {
                System.out.printf(Locale.ROOT, "against the ground truth: PSNR %.2f dB, SSIM %.4f, L1 %.4f; PSNR %.2f dB where the truth moved from the reference%n",
                        r.metrics().psnr(), r.metrics().ssim(), r.metrics().l1(), r.metrics().movedPsnr());
            }
            System.out.println("wrote " + out);
            return 0;
        }
    }
}
