package dev.expportrait.transfer;

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
 * ({@code adam.m.NAME}, {@code adam.v.NAME}), the loss curves so far ({@code history.train} [steps],
 * {@code history.validationStep} and {@code history.validation} [k]) and metadata {@code step} (steps done) and
 * {@code config} (the {@link TransferConfig} JSON). Written atomically, so an interrupted run leaves the last
 * complete checkpoint.
 */
final class TransferCheckpoint {
    private TransferCheckpoint() {}

    /** What a checkpoint restores. */
    record State(TransferModel model, int step, String config, double[] train, double[] validationSteps, double[] validation) {}

    static void write(Path path, TransferModel model, ParameterAdam adam, int step, String config, double[] train,
                      double[] validationSteps, double[] validation, Map<String, String> provenance) {
        Map<String, NdArray> arrays = TransferModelFile.arrays(model);
        adam.first().forEach((name, t) -> arrays.put("adam.m." + name, NdArray.ofFloats(Tensors.toFloats(t), Tensors.shape(t))));
        adam.second().forEach((name, t) -> arrays.put("adam.v." + name, NdArray.ofFloats(Tensors.toFloats(t), Tensors.shape(t))));
        arrays.put("history.train", NdArray.ofDoubles(Arrays.copyOf(train, step), step));
        arrays.put("history.validationStep", NdArray.ofDoubles(validationSteps, validationSteps.length));
        arrays.put("history.validation", NdArray.ofDoubles(validation, validation.length));
        Map<String, String> meta = new LinkedHashMap<>(provenance);
        meta.put("step", Integer.toString(step));
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

    /** Copies the checkpoint's optimizer moments into {@code adam} (built over the checkpoint's model). */
    static void restore(Path path, ParameterAdam adam, int step) {
        try (SafeTensorsFile st = SafeTensors.read(path); NoGradGuard g = new NoGradGuard()) {
            copy(st, "adam.m.", adam.first());
            copy(st, "adam.v.", adam.second());
        }
        adam.steps(step);
    }

    private static void copy(SafeTensorsFile st, String prefix, Map<String, Tensor> into) {
        into.forEach((name, t) -> t.copy_(Tensors.floats(st.get(prefix + name).toFloatArray(), Tensors.shape(t))));
    }
}
