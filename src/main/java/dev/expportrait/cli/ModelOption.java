package dev.expportrait.cli;

import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadModels;
import picocli.CommandLine.Option;

/** The {@code --model} option shared by commands that need a head model. */
final class ModelOption {
    @Option(names = "--model", defaultValue = HeadModels.BUILTIN, paramLabel = "builtin|PATH",
            description = "Head model: 'builtin' (the open head shipped with the tool) or a SMPL-X-format .npz such as SMPLX_NEUTRAL.npz (default: ${DEFAULT-VALUE}).")
    String model;

    HeadModel load() {
        return HeadModels.load(model);
    }
}
