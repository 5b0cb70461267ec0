package dev.expportrait.transfer;

import dev.expportrait.tensor.Ema;
import dev.expportrait.tensor.ParameterAdam;

import dev.expportrait.io.InputException;
import dev.expportrait.io.NdArray;
import dev.expportrait.io.SafeTensors;
import dev.expportrait.io.SafeTensorsFile;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * A training checkpoint: the weights of {@link TransferModelFile} plus the optimizer's moments
 * ({@code adam.m.NAME}, {@code adam.v.NAME}), with a weight average its shadows ({@code ema.NAME}, metadata
 * {@code emaUpdates}), the loss curves so far ({@code history.train} [steps],
 * {@code history.validationStep} and {@code history.validation} [k]) and metadata {@code step} (steps done) and
 * {@code config} (the {@link TransferConfig} JSON). Written atomically, so an interrupted run leaves the last
 * complete checkpoint.
 */
final class TransferCheckpoint {
    private TransferCheckpoint() {}

    /** What a checkpoint restores. */
    record State(TransferModel model, int step, String config, double[] train, double[] validationSteps, double[] validation) {}

    /** @param ema the weight average, or null for none */
    static void write(Path path, TransferModel model, ParameterAdam adam, Ema ema, int step, String config, double[] train,
                      double[] validationSteps, double[] validation, Map<String, String> provenance) {
        Map<String, NdArray> arrays = TransferModelFile.arrays(model);
        adam.first().forEach((name, t) -> arrays.put("adam.m." + name, NdArray.ofFloats(Tensors.toFloats(t), Tensors.shape(t))));
        adam.second().forEach((name, t) -> arrays.put("adam.v." + name, NdArray.ofFloats(Tensors.toFloats(t), Tensors.shape(t))));
        if (ema != null) ema.shadow().forEach((name, t) -> arrays.put("ema." + name, NdArray.ofFloats(Tensors.toFloats(t), Tensors.shape(t))));
        arrays.put("history.train", NdArray.ofDoubles(Arrays.copyOf(train, step), step));
        arrays.put("history.validationStep", NdArray.ofDoubles(validationSteps, validationSteps.length));
        arrays.put("history.validation", NdArray.ofDoubles(validation, validation.length));
        Map<String, String> meta = new LinkedHashMap<>(provenance);
        meta.put("step", Integer.toString(step));
        if (ema != null) meta.put("emaUpdates", Long.toString(ema.updates()));
        meta.put("config", config);
        SafeTensors.write(path, arrays, TransferModelFile.metadata(model, meta));
    }

    /** Reads a checkpoint and loads its moments into {@code adam}'s, which must be over the returned model: see {@link #restore}. */
    static State read(Path path) {
        try (SafeTensorsFile st = SafeTensors.read(path)) {
            TransferModel model = TransferModelFile.read(path, st);
            String step = st.metadata().get("step"), config = st.metadata().get("config");
            if (step == null || config == null || !st.has("history.train")) {
                throw new InputException(path + ": a transfer model, not a training checkpoint (no step, config or history)");
            }
            int done;
            try {
                done = Integer.parseInt(step);
            } catch (NumberFormatException e) {
                throw new InputException(path + ": metadata step is " + step + ", not an integer");
            }
            double[] train = st.get("history.train").toDoubleArray();
            if (done < 0 || train.length != done) {
                throw new InputException(path + ": step " + done + " but " + train.length + " training losses recorded");
            }
            return new State(model, done, config, train, st.get("history.validationStep").toDoubleArray(),
                    st.get("history.validation").toDoubleArray());
        }
    }

    /**
     * Copies the checkpoint's optimizer moments into {@code adam} and its weight average into {@code ema} (null for
     * none), both built over the checkpoint's model.
     */
    static void restore(Path path, ParameterAdam adam, Ema ema, int step) {
        try (SafeTensorsFile st = SafeTensors.read(path); NoGradGuard g = new NoGradGuard()) {
            copy(path, st, "adam.m.", adam.first());
            copy(path, st, "adam.v.", adam.second());
            if (ema != null) {
                copy(path, st, "ema.", ema.shadow());
                try {
                    ema.updates(Long.parseLong(st.metadata().getOrDefault("emaUpdates", "x")));
                } catch (NumberFormatException e) {
                    throw new InputException(path + ": metadata emaUpdates is " + st.metadata().get("emaUpdates") + ", not an integer");
                }
            }
        }
        adam.steps(step);
    }

    private static void copy(Path path, SafeTensorsFile st, String prefix, Map<String, Tensor> into) {
        into.forEach((name, t) -> {
            if (!st.has(prefix + name)) throw new InputException(path + ": no tensor " + prefix + name);
            t.copy_(Tensors.floats(st.get(prefix + name).toFloatArray(), Tensors.shape(t)));
        });
    }
}
