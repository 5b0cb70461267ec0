package dev.expportrait.pipeline;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the weights the project ships ({@code models/} in the repository) are found: {@code models/NAME}
 * under the working folder, else beside the folder of the running jar ({@code target/../models}), so the
 * defaults work from a clone's root and from anywhere through {@code ./expportrait}.
 */
public final class ShippedModels {
    /** The transfer module trained by the README's recipe. */
    public static final String TRANSFER = "transfer.safetensors";
    /** The video generator (VAE and EMA denoiser) trained by the README's recipe. */
    public static final String GENERATOR = "generator.safetensors";

    private ShippedModels() {}

    /** The shipped file {@code name}; where none is found, {@code models/NAME} (so the error names the expected place). */
    public static Path path(String name) {
        Path local = Path.of("models", name);
        if (Files.isRegularFile(local)) return local;
        try {
            Path jar = Path.of(ShippedModels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path beside = jar.getParent() == null ? null : jar.getParent().resolveSibling("models").resolve(name);
            if (beside != null && Files.isRegularFile(beside)) return beside;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no code source (an unusual class loader): fall through to the working folder
        }
        return local;
    }
}
