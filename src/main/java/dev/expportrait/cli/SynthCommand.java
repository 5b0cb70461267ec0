package dev.expportrait.cli;

import dev.expportrait.synth.SynthDataset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code expportrait synth}: the synthetic world with exact ground truth. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Generate synthetic clips with exact ground truth: random identities (shape, age, hair style, identity offsets D_id) perform random expressive motions (with age-adaptive expression offsets D_exp); each clip has shaded RGB frames (PNG and MP4), ground-truth normal, depth and mask maps, degraded 'estimated' maps, and all parameters and fields in clip.safetensors; manifest.json describes the dataset.",
        footer = {"", "Examples:",
            "  expportrait synth --identities 20 --clips-per-identity 2 --frames 48 --size 256 --fps 25 --seed 1 --out data/synth",
            "  expportrait synth --identities 2 --frames 9 --size 64 --out data/tiny"})
final class SynthCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Option(names = "--identities", defaultValue = "4", description = "Number of identities (default: ${DEFAULT-VALUE}).")
    int identities;

    @Option(names = "--clips-per-identity", defaultValue = "1", description = "Clips per identity (default: ${DEFAULT-VALUE}).")
    int clips;

    @Option(names = "--frames", defaultValue = "48", description = "Frames per clip (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--size", defaultValue = "256", description = "Image size in pixels, even, 64-512 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--fps", defaultValue = "25", description = "Frame rate (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--level", defaultValue = "1", description = "Upsampling levels of the dense mesh, 0-2 (default: ${DEFAULT-VALUE}).")
    int level;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() {
        SynthDataset dataset = new SynthDataset(identities, clips, frames, size, fps, level, seed);
        String command = String.format(java.util.Locale.ROOT,
                "expportrait synth --identities %d --clips-per-identity %d --frames %d --size %d --fps %s --level %d --seed %d",
                identities, clips, frames, size, fps, level, seed);
        dataset.write(model.load(), out, command, System.out);
        return 0;
    }
}
