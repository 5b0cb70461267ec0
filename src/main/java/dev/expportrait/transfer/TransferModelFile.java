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
 * optimizer state.
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
        Map<String, String> meta = st.metadata();
        st.requireFormat(FORMAT, VERSION);
        if (!FEATURES.equals(meta.get("features"))) {
            throw new InputException(path + ": trained on features " + meta.get("features") + ", this version computes " + FEATURES);
        }
        TransferModel.Sizes sizes;
        try {
            sizes = new TransferModel.Sizes(st.metadataInt("numExpression"), st.metadataInt("code"),
                    st.metadataInt("encoderHidden"), st.metadataInt("kernel"), st.metadataInt("hidden"),
                    st.metadataInt("layers"), meta.containsKey("patterns") ? st.metadataInt("patterns") : 0);
        } catch (IllegalArgumentException e) {
            throw new InputException(path + ": " + e.getMessage());
        }
        TransferModel model = new TransferModel(st.metadataText("headModel"), st.metadataInt("level"), sizes, 0);
        for (Map.Entry<String, Tensor> p : model.parameters().entrySet()) {
            model.load(p.getKey(), st.finiteFloats(p.getKey(), Tensors.shape(p.getValue())));
        }
        return model;
    }
}
