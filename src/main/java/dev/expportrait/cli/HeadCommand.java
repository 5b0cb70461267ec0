package dev.expportrait.cli;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadMeshExport;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadModels;
import dev.expportrait.head.HeadParameters;
import dev.expportrait.head.HeadSubset;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.global.torch.ScalarType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code expportrait head ...}: inspect and export head models. */
@Command(name = "head", mixinStandardHelpOptions = true,
        description = "Inspect a head model and export posed, upsampled meshes.",
        subcommands = {HeadCommand.Info.class, HeadCommand.Export.class},
        footer = {"", "Examples:", "  expportrait head info --model builtin",
            "  expportrait head export --expression eyeBlinkLeft=1 --level 2 --out blink.glb"})
final class HeadCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print a model's counts, joints, shape and expression directions, regions and landmarks.",
            footer = {"", "Examples:", "  expportrait head info", "  expportrait head info --model ~/models/SMPLX_NEUTRAL.npz"})
    static final class Info implements Callable<Integer> {
        @Mixin
        ModelOption model;

        @Override
        public Integer call() {
            HeadModel m = model.load();
            System.out.print(HeadInfo.describe(m, HeadModels.describeSource(model.model)));
            return 0;
        }
    }

    enum Subset { head, all }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Pose the head (shape, expression, joint rotations), upsample it by midpoint subdivision (paper Eq. 1-4) and write the mesh. .glb files carry every expression direction as a named morph target, so a glTF viewer can animate the head.",
            footer = {"", "Examples:",
                "  expportrait head export --out neutral.glb",
                "  expportrait head export --shape head_width=1.5,nose_length=-1 --expression mouthSmileLeft=1,mouthSmileRight=1 --out smile.glb",
                "  expportrait head export --pose jaw=0.3,0,0 --pose head=0,0.4,0 --level 2 --out talk.obj",
                "  expportrait head export --model SMPLX_NEUTRAL.npz --subset all --level 0 --out body.ply"})
    static final class Export implements Callable<Integer> {
        @Mixin
        ModelOption model;

        @Option(names = "--subset", defaultValue = "head", description = "head: the head-and-shoulders subset S of Eq. 1; all: the whole model (default: ${DEFAULT-VALUE}).")
        Subset subset;

        @Mixin
        PoseOptions frame;

        @Option(names = "--no-morph-targets", description = "For .glb: leave out the expression morph targets.")
        boolean noMorphTargets;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .glb, .obj, .ply or .npy (posed vertices [V, 3] float32).")
        Path out;

        @Override
        public Integer call() {
            HeadMeshExport.Format.of(out); // refuse a bad extension before any work
            int level = frame.level();
            HeadModel m = model.load();
            HeadParameters p = frame.parameters(m);
            HeadSubset s = subset == Subset.all ? HeadSubset.all(m) : HeadSubset.select(m);
            DenseHead head = new DenseHead(m, s, level, ScalarType.Float);
            HeadMeshExport.Summary sum = HeadMeshExport.write(out, head, p, !noMorphTargets,
                    Map.of("model", m.name(), "subset", subset.name(), "level", String.valueOf(level),
                            "command", "expportrait head export"));
            System.out.printf("wrote %s: %d vertices, %d faces (level %d, subset %s)%s%n", sum.path(), sum.vertices(),
                    sum.faces(), level, subset, sum.morphTargets() > 0 ? ", " + sum.morphTargets() + " morph targets" : "");
            return 0;
        }
    }
}
