package dev.expportrait.gen;

import dev.expportrait.io.InputException;
import dev.expportrait.io.NdArray;
import dev.expportrait.io.SafeTensors;
import dev.expportrait.io.SafeTensorsFile;
import dev.expportrait.tensor.Ema;
import dev.expportrait.tensor.ParameterAdam;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * A generator training checkpoint: a float32 {@link GeneratorFile} of the current weights (kind "generator"
 * while the denoiser trains) plus, for the weights being trained, AdamW's moments ({@code adam.m.NAME},
 * {@code adam.v.NAME}) and the EMA shadows ({@code ema.NAME}), the loss curves ({@code history.train},
 * {@code history.validationStep}, {@code history.validation}) and metadata {@code step}, {@code stage},
 * {@code emaUpdates} and {@code config} (the {@link GenTrainConfig} JSON). Written atomically.
 */
final class GenCheckpoint {
    private GenCheckpoint() {}

    record History(int step, double[] train, double[] validationSteps, double[] validation) {}

    static void write(Path path, Generator g, GenTrainer.Stage stage, Map<String, Tensor> trained, ParameterAdam adam, Ema ema, String config,
                      History h, int width, int height, int frames, Map<String, String> provenance) {
        Map<String, NdArray> arrays = GeneratorFile.arrays(stage == GenTrainer.Stage.VAE ? g.vaeWeights() : g.allParameters(), false);
        put(arrays, "adam.m.", adam.first());
        put(arrays, "adam.v.", adam.second());
        put(arrays, "ema.", ema.shadow());
        arrays.put("history.train", NdArray.ofDoubles(Arrays.copyOf(h.train(), h.step()), h.step()));
        arrays.put("history.validationStep", NdArray.ofDoubles(h.validationSteps(), h.validationSteps().length));
        arrays.put("history.validation", NdArray.ofDoubles(h.validation(), h.validation().length));
        Map<String, String> meta = new LinkedHashMap<>(provenance);
        meta.put("step", Integer.toString(h.step()));
        meta.put("stage", stage.name().toLowerCase(java.util.Locale.ROOT));
        meta.put("emaUpdates", Long.toString(ema.updates()));
        meta.put("config", config);
        SafeTensors.write(path, arrays, GeneratorFile.metadata(g, stage == GenTrainer.Stage.DENOISER, width, height, frames, meta));
    }

    private static void put(Map<String, NdArray> arrays, String prefix, Map<String, Tensor> tensors) {
        tensors.forEach((name, t) -> arrays.put(prefix + name, NdArray.ofFloats(Tensors.toFloats(t), Tensors.shape(t))));
    }

    /**
     * Restores a checkpoint of {@code stage} and {@code config} into {@code g} (same sizes), {@code adam} and
     * {@code ema} (over {@code g}'s trained weights); returns the history so far.
     */
    static History restore(Path path, Generator g, GenTrainer.Stage stage, String config, ParameterAdam adam, Ema ema) {
        try (SafeTensorsFile st = SafeTensors.read(path)) {
            Map<String, String> meta = st.metadata();
            String expectedStage = stage.name().toLowerCase(java.util.Locale.ROOT);
            if (!expectedStage.equals(meta.get("stage")) || meta.get("step") == null || !st.has("history.train")) {
                throw new InputException(path + ": not a " + expectedStage + " training checkpoint (stage " + meta.get("stage") + ")");
            }
            if (!config.equals(meta.get("config"))) {
                throw new InputException(path + ": a checkpoint of another run (config " + meta.get("config") + "); delete it or train with the same options");
            }
            Generator.Sizes sizes = GeneratorFile.sizes(path, st);
            if (!sizes.equals(g.sizes())) {
                throw new InputException(path + ": a checkpoint of a generator of sizes " + sizes + ", this run's are " + g.sizes());
            }
            GeneratorFile.load(path, st, g, stage == GenTrainer.Stage.DENOISER);
            g.latentScale(GeneratorFile.latentScale(path, st));
            int step;
            long updates;
            try {
                step = Integer.parseInt(meta.get("step"));
                updates = Long.parseLong(meta.getOrDefault("emaUpdates", "x"));
            } catch (NumberFormatException e) {
                throw new InputException(path + ": metadata step " + meta.get("step") + " or emaUpdates " + meta.get("emaUpdates") + " is not an integer");
            }
            double[] train = st.get("history.train").toDoubleArray();
            if (step < 0 || train.length != step) throw new InputException(path + ": step " + step + " but " + train.length + " training losses recorded");
            try (NoGradGuard guard = new NoGradGuard()) {
                copy(path, st, "adam.m.", adam.first());
                copy(path, st, "adam.v.", adam.second());
                copy(path, st, "ema.", ema.shadow());
            }
            adam.steps(step);
            ema.updates(updates);
            return new History(step, train, st.get("history.validationStep").toDoubleArray(), st.get("history.validation").toDoubleArray());
        }
    }

    private static void copy(Path path, SafeTensorsFile st, String prefix, Map<String, Tensor> into) {
        into.forEach((name, t) -> {
            if (!st.has(prefix + name)) throw new InputException(path + ": no tensor " + prefix + name);
            t.copy_(Tensors.floats(st.get(prefix + name).toFloatArray(), Tensors.shape(t)));
        });
    }
}
