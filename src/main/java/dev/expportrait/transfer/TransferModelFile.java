package dev.expportrait.transfer;

import dev.expportrait.io.InputException;
import dev.expportrait.io.NdArray;
import dev.expportrait.io.SafeTensors;
import dev.expportrait.io.SafeTensorsFile;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * The transfer module's weights as safetensors, format {@value #FORMAT} {@value #VERSION}: float32 tensors
 * named as {@link TransferModel#parameters()}; metadata {@code format}, {@code version}, {@code headModel},
 * {@code level}, {@code features} (the {@link NeutralFeatures} layout), the sizes ({@code numExpression},
 * {@code code}, {@code encoderHidden}, {@code kernel}, {@code hidden}, {@code layers}, {@code patterns} when above 0) and provenance (command,
 * seed, data, steps, validation loss). Checkpoints ({@link TransferCheckpoint}) are this file plus the
 * optimizer state. Several modules in one file: {@link TransferEnsembleFile}, which {@link #read} refuses by name.
 */
public final class TransferModelFile {
    public static final String FORMAT = "expportrait.transfer-model";
    public static final String VERSION = "1";
    /** Names the per-vertex input layout, so weights trained on other features are refused. */
    static final String FEATURES = "neutral-features-" + NeutralFeatures.SIZE + "-pe" + NeutralFeatures.FREQUENCIES + "-height-scaled";

    private TransferModelFile() {}

    /** Writes the weights of {@code model} atomically; provenance never overrides the format's keys. */
    public static void write(Path path, TransferModel model, Map<String, String> provenance) {
        SafeTensors.write(path, arrays(model), metadata(model, provenance));
    }

    static Map<String, NdArray> arrays(TransferModel model) {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        model.parameters().forEach((name, t) -> arrays.put(name, NdArray.ofFloats(Tensors.toFloats(t), Tensors.shape(t))));
        return arrays;
    }

    static Map<String, String> metadata(TransferModel model, Map<String, String> provenance) {
        TransferModel.Sizes s = model.sizes();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("headModel", model.headModel());
        meta.put("level", Integer.toString(model.level()));
        meta.put("features", FEATURES);
        meta.put("numExpression", Integer.toString(s.numExpression()));
        meta.put("code", Integer.toString(s.code()));
        meta.put("encoderHidden", Integer.toString(s.encoderHidden()));
        meta.put("kernel", Integer.toString(s.kernel()));
        meta.put("hidden", Integer.toString(s.hidden()));
        meta.put("layers", Integer.toString(s.layers()));
        if (s.patterns() > 0) meta.put("patterns", Integer.toString(s.patterns())); // absent: none (earlier files)
        provenance.forEach(meta::putIfAbsent);
        return meta;
    }

    /** Reads weights written by {@link #write} (or a checkpoint); anything else is an InputException naming the file. */
    public static TransferModel read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new InputException(path + ": no such transfer model file");
        }
        try (SafeTensorsFile st = SafeTensors.read(path)) {
            return read(path, st);
        }
    }

    static TransferModel read(Path path, SafeTensorsFile st) {
        if (TransferEnsembleFile.FORMAT.equals(st.metadata().get("format"))) {
            throw new InputException(path + ": holds an ensemble of " + st.metadata().get("members")
                    + " transfer modules, not one (apply and the demo read it; training resumes only from one module's checkpoint)");
        }
        st.requireFormat(FORMAT, VERSION);
        return read(path, st, "");
    }

    /**
     * The module whose metadata keys and tensor names start with {@code prefix} ("" for a module file, the member's
     * prefix in an {@link TransferEnsembleFile}).
     */
    static TransferModel read(Path path, SafeTensorsFile st, String prefix) {
        String features = st.metadata().get(prefix + "features");
        if (!FEATURES.equals(features)) {
            throw new InputException(path + ": trained on features " + features + ", this version computes " + FEATURES);
        }
        TransferModel.Sizes sizes;
        try {
            sizes = new TransferModel.Sizes(st.metadataInt(prefix + "numExpression"), st.metadataInt(prefix + "code"),
                    st.metadataInt(prefix + "encoderHidden"), st.metadataInt(prefix + "kernel"), st.metadataInt(prefix + "hidden"),
                    st.metadataInt(prefix + "layers"), st.metadata().containsKey(prefix + "patterns") ? st.metadataInt(prefix + "patterns") : 0);
        } catch (IllegalArgumentException e) {
            throw new InputException(path + ": " + e.getMessage());
        }
        TransferModel model = new TransferModel(st.metadataText(prefix + "headModel"), st.metadataInt(prefix + "level"), sizes, 0);
        for (Map.Entry<String, Tensor> p : model.parameters().entrySet()) {
            model.load(p.getKey(), st.finiteFloats(prefix + p.getKey(), Tensors.shape(p.getValue())));
        }
        return model;
    }
}
