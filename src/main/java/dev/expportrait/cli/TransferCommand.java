package dev.expportrait.cli;

import dev.expportrait.fit.FitOutputs;
import dev.expportrait.fit.PersonalHead;
import dev.expportrait.fit.PersonalHeadFile;
import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.io.InputException;
import dev.expportrait.pipeline.ShippedModels;
import dev.expportrait.render.MapImages;
import dev.expportrait.transfer.ExpressionTransfer;
import dev.expportrait.transfer.NeutralFeatures;
import dev.expportrait.transfer.TrainingHeads;
import dev.expportrait.transfer.TransferConfig;
import dev.expportrait.transfer.TransferEnsemble;
import dev.expportrait.transfer.TransferEnsembleFile;
import dev.expportrait.transfer.TransferModelFile;
import dev.expportrait.transfer.TransferModule;
import dev.expportrait.transfer.TransferOutputs;
import dev.expportrait.transfer.TransferSample;
import dev.expportrait.transfer.TransferTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.global.torch.ScalarType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expportrait transfer ...}: the identity-adaptive expression transfer module (Sec. 3.2). */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = "Train the identity-adaptive expression transfer module (Sec. 3.2) and transfer a driver's expressions and pose onto a reference identity.",
        subcommands = {TransferCommand.Train.class, TransferCommand.Ensemble.class, TransferCommand.Apply.class},
        footer = {"", "Examples:",
            "  expportrait synth --identities 96 --clips-per-identity 2 --frames 48 --size 64 --seed 7 --out data/transfer-train96",
            "  expportrait transfer train --data data/transfer-train96 --out models/transfer.safetensors",
            "  expportrait transfer ensemble --members a.safetensors,b.safetensors,c.safetensors --out models/transfer.safetensors",
            "  expportrait transfer apply --reference child.head --driver elder.head --compare --out out/transfer"})
final class TransferCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train the module self-supervised: for each head, predict its expression offsets D_exp,t from its own neutral geometry (shape + D_id) and its own expression coefficients and jaw poses; identities are split into training and validation.",
                "Heads come from --data: .head files (fitted PersonalHeads), folders of them, or synthetic datasets or clips (their exact ground truth).",
                "Writes OUT (the weights), OUT-STEM.ckpt.safetensors (the checkpoint: run the same command again to resume after an interruption) and OUT-STEM.loss.png."},
            footer = {"", "Examples:",
                "  expportrait synth --identities 96 --clips-per-identity 2 --frames 48 --size 64 --seed 7 --out data/transfer-train96",
                "  expportrait transfer train --data data/transfer-train96 --out models/transfer.safetensors",
                "  expportrait transfer train --data out/fits --steps 500 --seed 2 --out out/transfer-fitted.safetensors"})
    static final class Train implements Callable<Integer> {
        @Mixin
        ModelOption model;

        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, split = ",", paramLabel = "PATH", description = "Training heads: .head files, folders of them, synthetic dataset or clip folders (repeatable or comma-separated).")
        List<Path> data;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The weights to write (safetensors), e.g. models/transfer.safetensors.")
        Path out;

        @Option(names = "--level", defaultValue = "1", paramLabel = "L", description = "Dense mesh level of the heads, 0-2 (default: ${DEFAULT-VALUE}).")
        int level;

        @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps (default: 3000).")
        Integer steps;

        @Option(names = "--batch-frames", paramLabel = "N", description = "Frames per step (default: 8).")
        Integer batchFrames;

        @Option(names = "--batch-vertices", paramLabel = "N", description = "Face vertices per frame per step (default: 1024).")
        Integer batchVertices;

        @Option(names = "--learning-rate", paramLabel = "R", description = "Peak Adam learning rate (default: 0.002).")
        Double learningRate;

        @Option(names = "--validation", paramLabel = "F", description = "Fraction of identities held out for validation, 0 to 0.9 (default: 0.15).")
        Double validation;

        @Option(names = "--activity", paramLabel = "MM", description = "Draw training frames in proportion to their offsets' mean square plus MM^2 (mm); 0 draws uniformly (default: 0).")
        Double activity;

        @Option(names = "--l1", paramLabel = "MM", description = "Weight (mm) of the mean absolute error added to the mean squared one; it holds the offsets at zero where the face does not crease (default: 0.02).")
        Double l1;

        @Option(names = "--encoder-kernel", paramLabel = "K", description = "Frames each of the encoder's two temporal convolutions sees, odd; 1 (the default): each frame's code from its own coefficients and jaw alone.")
        Integer encoderKernel;

        @Option(names = "--patterns", paramLabel = "K", description = "Spatial expression patterns of the geometry MLP's separable term (K patterns from the neutral geometry times K amplitudes from the code); 0: none (default: 0).")
        Integer patterns;

        @Option(names = "--ema", paramLabel = "D", description = "Decay of a moving average of the weights, 0 to below 1; the average is validated and written. 0: the last step's weights (default: 0).")
        Double ema;

        @Option(names = "--focus", paramLabel = "MM", description = "Draw each frame's training vertices in proportion to |offset| + MM (mm), weighted back so the loss stays the whole face's; 0 draws uniformly (default: 0).")
        Double focus;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the weights, the split and the batches (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            if (level < 0 || level > 2) throw new InputException("--level " + level + ": must be 0, 1 or 2");
            if (Files.isDirectory(out)) throw new InputException(out + ": is a folder; --out names the weights file to write");
            HeadModel m = model.load();
            TransferConfig cfg = config(m.numExpression());
            DenseHead head = new DenseHead(m, HeadSubset.select(m), level, ScalarType.Float);
            System.out.println("reading the training heads...");
            List<TransferSample> samples = TrainingHeads.load(data, head, System.out);
            if (samples.size() < 2) throw new InputException("--data: " + samples.size() + " head found; training needs at least 2");
            Path checkpoint = FitOutputs.sibling(out, ".ckpt.safetensors");
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("command", Main.typed(spec));
            provenance.put("seed", Long.toString(seed));
            provenance.put("data", data.toString());
            provenance.put("heads", Integer.toString(samples.size()));
            TransferTrainer.Result r = new TransferTrainer(new NeutralFeatures(head), cfg).train(samples, checkpoint, provenance, System.out);
            provenance.put("steps", Integer.toString(cfg.steps()));
            provenance.put("config", cfg.toJson());
            provenance.put("validationLoss", Double.toString(r.finalValidation()));
            TransferModelFile.write(out, r.model(), provenance);
            Path plot = FitOutputs.sibling(out, ".loss.png");
            TransferOutputs.lossPlot(plot, r);
            System.out.printf(Locale.ROOT, "trained in %.1f s; final validation loss %.5f mm^2%n", r.seconds(), r.finalValidation());
            System.out.println("wrote " + plot);
            System.out.println("wrote " + checkpoint);
            System.out.println("wrote " + out);
            return 0;
        }

        private TransferConfig config(int numExpression) {
            TransferConfig c = TransferConfig.defaults(numExpression).withSeed(seed);
            try {
                if (steps != null) c = c.withSteps(steps);
                if (batchFrames != null || batchVertices != null) {
                    c = c.withBatch(batchFrames == null ? c.batchFrames() : batchFrames, batchVertices == null ? c.batchVertices() : batchVertices);
                }
                if (learningRate != null) c = c.withLearningRate(learningRate);
                if (activity != null) c = c.withActivity(activity);
                if (l1 != null) c = c.withL1Weight(l1);
                if (ema != null) c = c.withEmaDecay(ema);
                if (focus != null) c = c.withFocus(focus);
                if (encoderKernel != null) c = c.withSizes(c.sizes().withKernel(encoderKernel));
                if (patterns != null) c = c.withSizes(c.sizes().withPatterns(patterns));
                if (validation != null) {
                    if (validation > 0.9) throw new IllegalArgumentException("validation above 0.9");
                    c = c.withValidation(validation);
                }
            } catch (IllegalArgumentException e) {
                throw new InputException("a training option is out of range (--steps, --batch-frames, --batch-vertices at least 1; --learning-rate above 0; --validation 0 to 0.9; --activity, --l1 and --focus at least 0; --ema 0 to below 1; --patterns at least 0; --encoder-kernel odd and at least 1)");
            }
            return c;
        }
    }

    @Command(name = "ensemble", mixinStandardHelpOptions = true,
            description = {"Put several trained modules into one weights file whose prediction is the mean of theirs (each member's error is partly its own seed's and draws': the mean of four measured 0.00375 mm on the held-out benchmark, the best single run 0.00385; BENCHMARKS.md).",
                "Members are module files from 'transfer train' or other ensembles (their members are taken); all must be for the same head model, level and expression coefficients. Each member keeps the provenance its file recorded."},
            footer = {"", "Examples:",
                "  expportrait transfer ensemble --members out/t1.safetensors,out/t2.safetensors,out/t3.safetensors --out models/transfer.safetensors",
                "  expportrait transfer ensemble --members models/transfer.safetensors,out/t4.safetensors --out out/four.safetensors"})
    static final class Ensemble implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--members", required = true, split = ",", paramLabel = "FILE", description = "Module or ensemble files (comma-separated or repeated), at least two modules in all.")
        List<Path> members;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The ensemble file to write (safetensors).")
        Path out;

        @Override
        public Integer call() {
            if (Files.isDirectory(out)) throw new InputException(out + ": is a folder; --out names the weights file to write");
            List<TransferEnsembleFile.Member> all = new java.util.ArrayList<>();
            for (Path p : members) {
                for (TransferEnsembleFile.Member m : TransferEnsembleFile.members(p)) {
                    all.add(m);
                    System.out.printf(Locale.ROOT, "member %d: %s, %d weights, validation loss %s%n", all.size(), p, m.model().parameterCount(),
                            millimetresSquared(m.provenance().get("validationLoss")));
                }
                try {
                    new TransferEnsemble(all.stream().map(TransferEnsembleFile.Member::model).toList()); // all for one mesh
                } catch (IllegalArgumentException e) {
                    throw new InputException(p + ": " + e.getMessage());
                }
            }
            if (all.size() < 2) throw new InputException("--members: " + all.size() + " module in all; an ensemble needs at least 2");
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("command", Main.typed(spec));
            TransferEnsembleFile.write(out, all, provenance);
            System.out.println("wrote " + out + " (" + all.size() + " modules, their predictions averaged)");
            return 0;
        }

        /** A recorded loss for the console: five decimals in mm^2, or as recorded when it is not a number. */
        private static String millimetresSquared(String recorded) {
            if (recorded == null) return "not recorded";
            try {
                return String.format(Locale.ROOT, "%.5f mm^2", Double.parseDouble(recorded));
            } catch (NumberFormatException e) {
                return recorded;
            }
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"The reference identity (its shape, identity offsets D_id and camera) performs the driver's frames (its expression coefficients, jaw and head pose), with expression offsets from the module, or copied from the driver with --direct (the ablation baseline).",
                "Writes into OUT: transferred.head (a PersonalHead), normals/NNNNNN.png and normals.mp4 (the normal maps: the generator's control signal), reference-normal.png (the reference's own, for gen sample --reference-normals), with --meshes meshes/NNNNNN.ply; with --compare both methods in module/ and direct/ and compare.mp4 (direct | module)."},
            footer = {"", "Examples:",
                "  expportrait transfer apply --reference out/child.head --driver out/elder.head --out out/transfer",
                "  expportrait transfer apply --reference a.head --driver b.head --direct --pose absolute --out out/direct",
                "  expportrait transfer apply --reference a.head --driver b.head --compare --meshes --weights my.safetensors --out out/cmp"})
    static final class Apply implements Callable<Integer> {
        @Mixin
        ModelOption model;

        @Spec
        CommandSpec spec;

        @Option(names = "--reference", required = true, paramLabel = "FILE", description = "The reference identity's PersonalHead (.head), e.g. from 'expportrait fit --frame 0'.")
        Path reference;

        @Option(names = "--driver", required = true, paramLabel = "FILE", description = "The driving PersonalHead (.head): its expression, jaw and pose per frame (and its D_exp,t for --direct).")
        Path driver;

        @Option(names = "--weights", paramLabel = "FILE", description = "Transfer module weights: one module's or an ensemble's file (default: the shipped models/transfer.safetensors).")
        Path weights;

        @Option(names = "--direct", description = "Direct transfer: copy the driver's expression offsets (the paper's ablation, Fig. 8).")
        boolean direct;

        @Option(names = "--compare", description = "Both methods: module/ and direct/ and a side-by-side compare.mp4.")
        boolean compare;

        @Option(names = "--pose", defaultValue = "relative", paramLabel = "relative|absolute",
                description = "relative: the driver's motion since its first frame, applied to the reference's first-frame pose; absolute: the driver's pose as is (default: ${DEFAULT-VALUE}).")
        String pose;

        @Option(names = "--meshes", description = "Also write the posed mesh of every frame as meshes/NNNNNN.ply.")
        boolean meshes;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created).")
        Path out;

        @Override
        public Integer call() {
            if (direct && compare) throw new InputException("--direct and --compare exclude each other (--compare writes both)");
            ExpressionTransfer.PoseMode mode = switch (pose) {
                case "relative" -> ExpressionTransfer.PoseMode.RELATIVE;
                case "absolute" -> ExpressionTransfer.PoseMode.ABSOLUTE;
                default -> throw new InputException("--pose " + pose + ": must be relative or absolute");
            };
            if (Files.exists(out) && !Files.isDirectory(out)) throw new InputException(out + ": is a file; --out names a folder");
            PersonalHead ref = PersonalHeadFile.read(reference), drv = PersonalHeadFile.read(driver);
            TransferModule module = null;
            if (!direct) {
                Path w = weights != null ? weights : ShippedModels.path(ShippedModels.TRANSFER);
                module = TransferEnsembleFile.read(w);
            }
            HeadModel m = model.load();
            if (!m.name().equals(ref.model())) {
                throw new InputException(reference + ": fitted on model " + ref.model() + ", but --model is " + m.name());
            }
            DenseHead head = new DenseHead(m, HeadSubset.select(m), ref.level(), ScalarType.Float);
            NeutralFeatures features = new NeutralFeatures(head);
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("command", Main.typed(spec));
            System.out.printf(Locale.ROOT, "transferring %d frames of %s onto %s (%s pose)%n", drv.frames(), driver, reference, pose);
            if (compare) {
                PersonalHead a = ExpressionTransfer.apply(ref, drv, ExpressionTransfer.Method.DIRECT, mode, null, features);
                PersonalHead b = ExpressionTransfer.apply(ref, drv, ExpressionTransfer.Method.MODULE, mode, module, features);
                referenceNormal(head, ref, provenance);
                List<MapImages.Rgb> na = write(out.resolve("direct"), head, a, provenance);
                List<MapImages.Rgb> nb = write(out.resolve("module"), head, b, provenance);
                TransferOutputs.sideBySide(out.resolve("compare.mp4"), List.of(na, nb), drv.fps(), provenance);
                System.out.println("wrote " + out.resolve("compare.mp4") + " (direct | module)");
            } else {
                ExpressionTransfer.Method method = direct ? ExpressionTransfer.Method.DIRECT : ExpressionTransfer.Method.MODULE;
                PersonalHead transferred = ExpressionTransfer.apply(ref, drv, method, mode, module, features);
                referenceNormal(head, ref, provenance);
                write(out, head, transferred, provenance);
            }
            return 0;
        }

        private void referenceNormal(DenseHead head, PersonalHead ref, Map<String, String> provenance) {
            System.out.println("wrote " + TransferOutputs.referenceNormal(out, head, ref, provenance) + " (the reference's own normal map, for gen sample --reference-normals)");
        }

        private List<MapImages.Rgb> write(Path dir, DenseHead head, PersonalHead h, Map<String, String> provenance) {
            List<MapImages.Rgb> frames = TransferOutputs.normals(dir, head, h, provenance);
            if (meshes) TransferOutputs.meshes(dir, head, h);
            Path file = TransferOutputs.head(dir, h, provenance);
            System.out.println("wrote " + dir.resolve("normals.mp4") + ", " + dir.resolve("normals") + "/" + (meshes ? ", " + dir.resolve("meshes") + "/" : "") + ", " + file);
            return frames;
        }
    }
}
