package dev.expportrait.gen;

import dev.expportrait.io.Float16;
import dev.expportrait.io.InputException;
import dev.expportrait.io.NdArray;
import dev.expportrait.io.SafeTensors;
import dev.expportrait.io.SafeTensorsFile;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * The generator's weights as safetensors, format {@value #FORMAT} {@value #VERSION}: the VAE's tensors under
 * {@code vae.} and, in a full generator ({@code kind} "generator"; a VAE alone is kind "vae"), the denoiser's
 * under {@code denoiser.}; float32 or float16 on disk. Metadata: {@code format}, {@code version}, {@code kind},
 * the sizes ({@code vaeChannels}, {@code vaeLatent}, {@code vaeDowns}, {@code poseChannels},
 * {@code referenceChannels}, {@code encoderWidth}, {@code hidden}, {@code depth}, {@code heads}),
 * {@code latentScale}, {@code width}, {@code height}, {@code frames} (what it was trained on) and provenance.
 */
public final class GeneratorFile {
    public static final String FORMAT = "expportrait.generator";
    /** 2: the DiT's channel-wise reference ({@code denoiser.embed.reference.weight}); version 1 files lack it ({@link #initDenoiser} reads them). */
    public static final String VERSION = "2";

    private GeneratorFile() {}

    /** What a file holds. */
    public record Contents(Generator generator, boolean hasDenoiser, int width, int height, int frames, Map<String, String> metadata) {}

    /**
     * The arrays of {@code weights} (full names, "vae." and "denoiser."), as float16 when {@code half}.
     */
    static Map<String, NdArray> arrays(Map<String, Tensor> weights, boolean half) {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        weights.forEach((name, t) -> {
            float[] v = Tensors.toFloats(t);
            arrays.put(name, half ? NdArray.ofFloatsAsF16(v, Tensors.shape(t)) : NdArray.ofFloats(v, Tensors.shape(t)));
        });
        return arrays;
    }

    static Map<String, String> metadata(Generator g, boolean hasDenoiser, int width, int height, int frames, Map<String, String> provenance) {
        Generator.Sizes s = g.sizes();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("kind", hasDenoiser ? "generator" : "vae");
        meta.put("vaeChannels", Integer.toString(s.vae().channels()));
        meta.put("vaeLatent", Integer.toString(s.vae().latent()));
        meta.put("vaeDowns", Integer.toString(s.vae().downs()));
        meta.put("poseChannels", Integer.toString(s.poseChannels()));
        meta.put("referenceChannels", Integer.toString(s.referenceChannels()));
        meta.put("encoderWidth", Integer.toString(s.encoderWidth()));
        meta.put("hidden", Integer.toString(s.hidden()));
        meta.put("depth", Integer.toString(s.depth()));
        meta.put("heads", Integer.toString(s.heads()));
        meta.put("latentScale", Double.toString(g.latentScale()));
        meta.put("width", Integer.toString(width));
        meta.put("height", Integer.toString(height));
        meta.put("frames", Integer.toString(frames));
        provenance.forEach(meta::putIfAbsent);
        return meta;
    }

    /** Writes {@code g}'s weights (the VAE's alone unless {@code hasDenoiser}) atomically. */
    public static void write(Path path, Generator g, boolean hasDenoiser, int width, int height, int frames, boolean half,
                             Map<String, String> provenance) {
        SafeTensors.write(path, arrays(hasDenoiser ? g.allParameters() : g.vaeWeights(), half), metadata(g, hasDenoiser, width, height, frames, provenance));
    }

    public static Contents read(Path path) {
        if (!Files.isRegularFile(path)) throw new InputException(path + ": no such generator file");
        try (SafeTensorsFile st = SafeTensors.read(path)) {
            return read(path, st);
        }
    }

    static Contents read(Path path, SafeTensorsFile st) {
        Generator g = new Generator(sizes(path, st), 0);
        g.latentScale(latentScale(path, st));
        boolean full = "generator".equals(st.metadata().get("kind"));
        load(path, st, g, full);
        return new Contents(g, full, st.metadataInt("width"), st.metadataInt("height"), st.metadataInt("frames"), st.metadata());
    }

    /** The sizes a file's metadata records, after checking its format and kind. */
    static Generator.Sizes sizes(Path path, SafeTensorsFile st) {
        requireReadable(st, false);
        return sizesOfAnyVersion(path, st);
    }

    /**
     * Refuses a file this code cannot read: another format, or another version than {@value #VERSION}, except
     * version 1 for a VAE (unchanged in version 2) and, when {@code generatorOfVersion1}, for a generator too.
     */
    private static void requireReadable(SafeTensorsFile st, boolean generatorOfVersion1) {
        boolean version1 = FORMAT.equals(st.metadata().get("format")) && "1".equals(st.metadata().get("version"));
        if (version1 && ("vae".equals(st.metadata().get("kind")) || generatorOfVersion1)) return;
        st.requireFormat(FORMAT, VERSION);
    }

    private static Generator.Sizes sizesOfAnyVersion(Path path, SafeTensorsFile st) {
        String kind = st.metadata().get("kind");
        if (!"vae".equals(kind) && !"generator".equals(kind)) throw new InputException(path + ": kind " + kind + ", expected vae or generator");
        try {
            return new Generator.Sizes(new VideoVae.Sizes(st.metadataInt("vaeChannels"), st.metadataInt("vaeLatent"), st.metadataInt("vaeDowns")),
                    st.metadataInt("poseChannels"), st.metadataInt("referenceChannels"), st.metadataInt("encoderWidth"),
                    st.metadataInt("hidden"), st.metadataInt("depth"), st.metadataInt("heads"));
        } catch (IllegalArgumentException e) {
            throw new InputException(path + ": " + e.getMessage());
        }
    }

    static double latentScale(Path path, SafeTensorsFile st) {
        double scale;
        try {
            scale = Double.parseDouble(st.metadataText("latentScale"));
        } catch (NumberFormatException e) {
            throw new InputException(path + ": latentScale " + st.metadataText("latentScale") + " is not a number");
        }
        if (!(scale > 0) || !Double.isFinite(scale)) throw new InputException(path + ": latentScale " + scale + " is not a positive number");
        return scale;
    }

    /**
     * What {@link #initDenoiser} did.
     *
     * @param fresh the names of the denoiser weights the file does not have (left at their initial values)
     * @param sameVae whether the file's VAE is the generator's (else its denoiser learned another latent space)
     */
    public record Init(List<String> fresh, boolean sameVae) {}

    /**
     * Starts {@code g}'s denoiser from a trained generator's (gen train --init): copies each of the file's denoiser
     * tensors whose name and shape {@code g} has; {@code g}'s others keep their initial values. The file may be
     * of this version or version 1. Its sizes must equal {@code g}'s.
     */
    public static Init initDenoiser(Path path, Generator g) {
        if (!Files.isRegularFile(path)) throw new InputException(path + ": no such generator file");
        try (SafeTensorsFile st = SafeTensors.read(path)) {
            requireReadable(st, true);
            Generator.Sizes sizes = sizesOfAnyVersion(path, st);
            if (!"generator".equals(st.metadata().get("kind"))) throw new InputException(path + ": a VAE alone (kind vae), not a generator to start from");
            if (!sizes.equals(g.sizes())) throw new InputException(path + ": sizes " + sizes + ", but the generator to train has " + g.sizes());
            List<String> absent = new ArrayList<>();
            boolean sameVae = true;
            for (Map.Entry<String, Tensor> p : g.vaeWeights().entrySet()) {
                sameVae &= sameWeights(st.finiteFloats(p.getKey(), Tensors.shape(p.getValue())), Tensors.toFloats(p.getValue()));
            }
            try (var guard = new org.bytedeco.pytorch.NoGradGuard()) {
                for (Map.Entry<String, Tensor> p : g.denoiserWeights().entrySet()) {
                    long[] shape = Tensors.shape(p.getValue());
                    if (st.has(p.getKey())) p.getValue().copy_(Tensors.floats(st.finiteFloats(p.getKey(), shape), shape));
                    else absent.add(p.getKey());
                }
            }
            return new Init(absent, sameVae);
        }
    }

    /**
     * Whether weights read from a file are {@code current}: each equal to its value or to its float16 rounding (a
     * generator written with --half holds its VAE rounded, so it is the same VAE).
     */
    static boolean sameWeights(float[] stored, float[] current) {
        if (stored.length != current.length) return false;
        for (int i = 0; i < stored.length; i++) {
            if (stored[i] != current[i] && stored[i] != Float16.toFloat(Float16.fromFloat(current[i]))) return false;
        }
        return true;
    }

    /** Loads the file's tensors into {@code g}'s weights (the denoiser's too when {@code full}). */
    static void load(Path path, SafeTensorsFile st, Generator g, boolean full) {
        Map<String, Tensor> weights = full ? g.allParameters() : g.vaeWeights();
        try (var guard = new org.bytedeco.pytorch.NoGradGuard()) {
            for (Map.Entry<String, Tensor> p : weights.entrySet()) {
                long[] shape = Tensors.shape(p.getValue());
                p.getValue().copy_(Tensors.floats(st.finiteFloats(p.getKey(), shape), shape));
            }
        }
    }

}
