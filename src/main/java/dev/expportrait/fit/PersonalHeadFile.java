package dev.expportrait.fit;

import dev.expportrait.io.InputException;
import dev.expportrait.io.Json;
import dev.expportrait.io.NdArray;
import dev.expportrait.io.SafeTensors;
import dev.expportrait.io.SafeTensorsFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link PersonalHead} on disk: one safetensors file with float32 tensors {@code betas} [S],
 * {@code expression} [T, E], {@code pose} [T, J, 3], {@code translation} [T, 3], {@code intrinsics} [T, 4],
 * {@code identityOffsets} [Vd, 3], {@code expressionOffsets} [T, Nf, 3], float64 {@code rotation} [3, 3] and
 * {@code cameraTranslation} [3], int32 {@code faceVertices} [Nf]; metadata {@code format}
 * ({@value #FORMAT}), {@code version} ({@value #VERSION}), model, level, frames, fps, source, width, height,
 * numShape, numExpression, numJoints, {@code losses} (a JSON object of name to final value; non-finite
 * values as strings such as "NaN"), then the caller's provenance. Written atomically; reading round-trips
 * every value exactly.
 */
public final class PersonalHeadFile {
    public static final String FORMAT = "expportrait.personal-head";
    public static final String VERSION = "1";

    private PersonalHeadFile() {}

    /** Writes {@code head} to {@code path}; provenance entries never override the format's own keys. */
    public static void write(Path path, PersonalHead head, Map<String, String> provenance) {
        int t = head.frames(), nf = head.numFaceVertices();
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("betas", NdArray.ofFloats(head.betas(), head.numShape()));
        arrays.put("expression", NdArray.ofFloats(head.expression(), t, head.numExpression()));
        arrays.put("pose", NdArray.ofFloats(head.pose(), t, head.numJoints(), 3));
        arrays.put("translation", NdArray.ofFloats(head.translation(), t, 3));
        arrays.put("intrinsics", NdArray.ofFloats(head.intrinsics(), t, 4));
        arrays.put("rotation", NdArray.ofDoubles(head.rotation(), 3, 3));
        arrays.put("cameraTranslation", NdArray.ofDoubles(head.cameraTranslation(), 3));
        arrays.put("identityOffsets", NdArray.ofFloats(head.identityOffsets(), head.denseVertices(), 3));
        arrays.put("faceVertices", NdArray.ofInts(head.faceVertices(), nf));
        arrays.put("expressionOffsets", NdArray.ofFloats(head.expressionOffsets(), t, nf, 3));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("model", head.model());
        meta.put("level", Integer.toString(head.level()));
        meta.put("frames", Integer.toString(t));
        meta.put("fps", Double.toString(head.fps()));
        meta.put("source", head.source());
        meta.put("width", Integer.toString(head.width()));
        meta.put("height", Integer.toString(head.height()));
        meta.put("numShape", Integer.toString(head.numShape()));
        meta.put("numExpression", Integer.toString(head.numExpression()));
        meta.put("numJoints", Integer.toString(head.numJoints()));
        Map<String, Object> losses = new LinkedHashMap<>();
        // JSON has no NaN or infinity, and a diverged loss is worth keeping: those go as strings.
        head.losses().forEach((k, v) -> losses.put(k, Double.isFinite(v) ? (Object) v : v.toString()));
        meta.put("losses", Json.write(losses));
        provenance.forEach(meta::putIfAbsent);
        SafeTensors.write(path, arrays, meta);
    }

    /** Reads a file written by {@link #write}; another format or version, or inconsistent shapes, is an InputException naming the file. */
    public static PersonalHead read(Path path) {
        try (SafeTensorsFile st = SafeTensors.read(path)) {
            Map<String, String> meta = st.metadata();
            if (!FORMAT.equals(meta.get("format")) || !VERSION.equals(meta.get("version"))) {
                throw new InputException(path + ": format " + meta.get("format") + " version " + meta.get("version")
                        + ", expected " + FORMAT + " version " + VERSION);
            }
            Reader r = new Reader(path, st);
            int t = r.integer("frames"), s = r.integer("numShape"), e = r.integer("numExpression"), j = r.integer("numJoints");
            long vd = r.rows("identityOffsets"), nf = r.rows("faceVertices");
            try {
                return new PersonalHead(r.text("model"), r.integer("level"), r.number("fps"), r.text("source"),
                        r.integer("width"), r.integer("height"), s, e, j,
                        r.floats("betas", s), r.floats("expression", t, e), r.floats("pose", t, j, 3), r.floats("translation", t, 3),
                        r.floats("intrinsics", t, 4), r.array("rotation", 3, 3).toDoubleArray(),
                        r.array("cameraTranslation", 3).toDoubleArray(), r.floats("identityOffsets", vd, 3),
                        r.array("faceVertices", nf).toIntArray(), r.floats("expressionOffsets", t, nf, 3), losses(path, r.text("losses")));
            } catch (IllegalArgumentException ex) {
                throw new InputException(path + ": " + ex.getMessage(), ex);
            }
        }
    }

    private static Map<String, Double> losses(Path path, String json) {
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new InputException(path + ": metadata losses is not JSON (" + e.getMessage() + ")");
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new InputException(path + ": metadata losses must be a JSON object");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> en : map.entrySet()) {
            Object v = en.getValue();
            try {
                out.put((String) en.getKey(), v instanceof Number n ? n.doubleValue() : Double.parseDouble((String) v));
            } catch (RuntimeException ex) {
                throw new InputException(path + ": loss " + en.getKey() + " is " + v + ", not a number");
            }
        }
        return out;
    }

    /** Metadata and tensors of one file, each checked on the way out. */
    private record Reader(Path path, SafeTensorsFile st) {
        String text(String key) {
            String v = st.metadata().get(key);
            if (v == null) throw new InputException(path + ": metadata has no " + key);
            return v;
        }

        int integer(String key) {
            try {
                return Integer.parseInt(text(key));
            } catch (NumberFormatException e) {
                throw new InputException(path + ": metadata " + key + " is " + text(key) + ", not an integer");
            }
        }

        double number(String key) {
            try {
                return Double.parseDouble(text(key));
            } catch (NumberFormatException e) {
                throw new InputException(path + ": metadata " + key + " is " + text(key) + ", not a number");
            }
        }

        /** The length of the first axis, which the file decides (Vd, Nf). */
        long rows(String name) {
            long[] shape = st.get(name).shape();
            if (shape.length == 0) throw new InputException(path + ": " + name + " is a scalar, expected an array");
            return shape[0];
        }

        NdArray array(String name, long... shape) {
            NdArray a = st.get(name);
            if (!Arrays.equals(a.shape(), shape)) {
                throw new InputException(path + ": " + name + " is " + Arrays.toString(a.shape()) + ", expected " + Arrays.toString(shape));
            }
            return a;
        }

        float[] floats(String name, long... shape) {
            float[] v = array(name, shape).toFloatArray();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) throw new InputException(path + ": " + name + " holds " + v[i] + " at element " + i);
            }
            return v;
        }
    }
}
