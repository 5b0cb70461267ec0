package dev.expportrait.fit;

import dev.expportrait.io.InputException;
import dev.expportrait.io.NdArray;
import dev.expportrait.io.SafeTensors;
import dev.expportrait.io.SafeTensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Reads the observations of a clip folder written by {@code expportrait synth}, using what an estimator
 * would give (never the ground truth): {@code clip.safetensors} ({@code landmarksEstimated} [T, L, 2],
 * {@code intrinsics} [4] or [T, 4], {@code rotation}, {@code cameraTranslation}, metadata {@code fps}),
 * the frames {@code rgb/NNNNNN.png} and, for dense fitting, {@code estimated/normal/}, {@code estimated/depth/}
 * and {@code mask/}. Everything is validated before use; any problem is an InputException whose one line
 * names the file.
 */
public final class ClipObservations {
    public static final String CLIP_FILE = "clip.safetensors";
    public static final String FORMAT = "expportrait.synth-clip";
    /** Version 2 may carry per-frame intrinsics; both read the same way. */
    public static final Set<String> VERSIONS = Set.of("1", "2");

    private ClipObservations() {}

    /**
     * @param clipDir the clip folder
     * @param expectedLandmarks L, the landmark count of the head model that will be fitted
     * @param dense whether to read the normal, depth and mask maps (else they are null)
     */
    public static Observations read(Path clipDir, int expectedLandmarks, boolean dense) {
        if (!Files.isDirectory(clipDir)) {
            throw new InputException(clipDir + ": no such clip folder");
        }
        Path file = clipDir.resolve(CLIP_FILE);
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": missing (not a clip folder written by expportrait synth?)");
        }
        try (SafeTensorsFile st = SafeTensors.read(file)) {
            checkFormat(file, st.metadata());
            NdArray lm = st.get("landmarksEstimated");
            long[] shape = lm.shape();
            if (shape.length != 3 || shape[0] < 1 || shape[2] != 2) {
                throw new InputException(file + ": landmarksEstimated must be [T, L, 2], got " + Arrays.toString(shape));
            }
            int frames = (int) shape[0];
            if (shape[1] != expectedLandmarks) {
                throw new InputException(file + ": landmarksEstimated has " + shape[1] + " landmarks per frame, the head model has " + expectedLandmarks);
            }
            float[] landmarks = finite(file, "landmarksEstimated", lm.toFloatArray());
            float[] intrinsics = intrinsics(file, st.get("intrinsics"), frames);
            double[] rotation = st.has("rotation") ? doubles(file, "rotation", st.get("rotation"), 3, 3) : null;
            double[] translation = st.has("cameraTranslation") ? doubles(file, "cameraTranslation", st.get("cameraTranslation"), 3) : null;
            ClipFrames.Maps maps = new ClipFrames(clipDir, frames, dense).read();
            return new Observations(clipDir.toString(), frames, maps.width(), maps.height(), fps(file, st.metadata()), landmarks,
                    maps.normals(), maps.depth(), maps.masks(), maps.rgb(), intrinsics, rotation, translation);
        }
    }

    private static void checkFormat(Path file, Map<String, String> meta) {
        String format = meta.get("format"), version = meta.get("version");
        if (!FORMAT.equals(format) || !VERSIONS.contains(version)) {
            throw new InputException(file + ": format " + format + " version " + version + ", expected " + FORMAT + " version 1 or 2");
        }
    }

    private static double fps(Path file, Map<String, String> meta) {
        String text = meta.get("fps");
        double fps;
        try {
            fps = text == null ? Double.NaN : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            fps = Double.NaN;
        }
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new InputException(file + ": metadata fps is " + text + ", expected a positive number");
        }
        return fps;
    }

    /** [4] (one camera for the clip) or [T, 4], expanded to [T, 4]; finite with positive focal lengths. */
    private static float[] intrinsics(Path file, NdArray a, int frames) {
        long[] shape = a.shape();
        boolean one = Arrays.equals(shape, new long[] {4});
        if (!one && !Arrays.equals(shape, new long[] {frames, 4})) {
            throw new InputException(file + ": intrinsics must be [4] or [" + frames + ", 4], got " + Arrays.toString(shape));
        }
        float[] k = finite(file, "intrinsics", a.toFloatArray());
        float[] out = new float[frames * 4];
        for (int t = 0; t < frames; t++) {
            System.arraycopy(k, one ? 0 : t * 4, out, t * 4, 4);
            if (!(out[t * 4] > 0 && out[t * 4 + 1] > 0)) {
                throw new InputException(file + ": intrinsics of frame " + t + " have a focal length <= 0 (" + out[t * 4] + ", " + out[t * 4 + 1] + ")");
            }
        }
        return out;
    }

    private static double[] doubles(Path file, String name, NdArray a, long... shape) {
        if (!Arrays.equals(a.shape(), shape)) {
            throw new InputException(file + ": " + name + " must be " + Arrays.toString(shape) + ", got " + Arrays.toString(a.shape()));
        }
        double[] d = a.toDoubleArray();
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                throw new InputException(file + ": " + name + " holds " + d[i] + " at element " + i);
            }
        }
        return d;
    }

    private static float[] finite(Path file, String name, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new InputException(file + ": " + name + " holds " + values[i] + " at element " + i);
            }
        }
        return values;
    }
}
