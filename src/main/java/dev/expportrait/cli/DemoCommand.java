package dev.expportrait.cli;

import dev.expportrait.pipeline.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code expportrait demo}: the main job, growing with each stage of the pipeline. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the pipeline end to end on built-in data and write what each stage makes into the output folder. Now: the built-in open head (.npz in the SMPL-X layout) and a posed expression/pose sweep of its upsampled dense mesh as .glb files (neutral.glb carries the expression morph targets), rendered previews (shaded RGB, normal map, depth, landmarks) in previews/, a synthetic clip with ground truth in synth/, and the personalized head fitted to it in fit/ (subject.head, loss curves, an overlay video, errors against the ground truth).",
        footer = {"", "Examples:", "  expportrait demo", "  expportrait demo --out /tmp/demo --level 2"})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "out/demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--level", defaultValue = "1", description = "Upsampling levels of the dense mesh, 0-2 (default: ${DEFAULT-VALUE}).")
    int level;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        new Demo(out, level, seed, System.out).run();
        return 0;
    }
}
