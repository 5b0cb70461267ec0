package dev.expportrait.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * glTF 2.0 binary (.glb) with one mesh, node and scene: POSITION (with the min/max glTF requires), optional
 * NORMAL, TEXCOORD_0 and COLOR_0, UNSIGNED_INT indices, and morph targets whose names go in
 * {@code mesh.extras.targetNames} (the convention of three.js and Blender), so a viewer can animate them.
 * Provenance (model, seed, command...) goes in {@code asset.extras}. Layout: a 12-byte header, a JSON chunk
 * padded with spaces and a BIN chunk padded with zeros, both to 4 bytes.
 */
public final class GlbWriter {
    private GlbWriter() {}

    static final int MAGIC = 0x46546C67; // "glTF"
    static final int CHUNK_JSON = 0x4E4F534A;
    static final int CHUNK_BIN = 0x004E4942;
    private static final int FLOAT = 5126;
    private static final int UNSIGNED_INT = 5125;
    private static final int ARRAY_BUFFER = 34962;
    private static final int ELEMENT_ARRAY_BUFFER = 34963;

    /** Writes {@code mesh} and its morph targets to {@code path}, atomically. */
    public static void write(Path path, TriangleMesh mesh, List<MorphTarget> targets, Map<String, String> extras) {
        byte[] bytes = encode(mesh, targets, extras);
        AtomicFiles.write(path, bytes);
    }

    /** The .glb bytes. */
    public static byte[] encode(TriangleMesh mesh, List<MorphTarget> targets, Map<String, String> extras) {
        int v = mesh.numVertices();
        for (MorphTarget t : targets) {
            if (t.positionDeltas().length != v * 3) {
                throw new IllegalArgumentException("morph target '" + t.name() + "' has " + t.positionDeltas().length + " values for " + v + " vertices");
            }
        }
        Builder b = new Builder();
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("POSITION", b.floats(mesh.positions(), 3, "VEC3", true));
        if (mesh.normals() != null) attributes.put("NORMAL", b.floats(mesh.normals(), 3, "VEC3", false));
        if (mesh.uvs() != null) attributes.put("TEXCOORD_0", b.floats(mesh.uvs(), 2, "VEC2", false));
        if (mesh.colors() != null) attributes.put("COLOR_0", b.floats(mesh.colors(), 3, "VEC3", false));
        int indices = b.indices(mesh.faces());
        List<Object> targetList = new ArrayList<>();
        List<Object> names = new ArrayList<>();
        List<Object> weights = new ArrayList<>();
        for (MorphTarget t : targets) {
            targetList.add(ordered("POSITION", b.floats(t.positionDeltas(), 3, "VEC3", true)));
            names.add(t.name());
            weights.add(0.0);
        }
        Map<String, Object> primitive = new LinkedHashMap<>();
        primitive.put("attributes", attributes);
        primitive.put("indices", indices);
        primitive.put("material", 0);
        primitive.put("mode", 4);
        if (!targets.isEmpty()) primitive.put("targets", targetList);
        Map<String, Object> meshJson = new LinkedHashMap<>();
        meshJson.put("name", "head");
        meshJson.put("primitives", List.of(primitive));
        if (!targets.isEmpty()) {
            meshJson.put("weights", weights);
            meshJson.put("extras", ordered("targetNames", names));
        }
        Map<String, Object> asset = new LinkedHashMap<>();
        asset.put("version", "2.0");
        asset.put("generator", "expportrait");
        if (!extras.isEmpty()) asset.put("extras", new LinkedHashMap<>(extras));
        Map<String, Object> material = new LinkedHashMap<>();
        material.put("name", "skin");
        material.put("pbrMetallicRoughness", ordered("baseColorFactor", List.of(0.80, 0.66, 0.58, 1.0),
                "metallicFactor", 0.0, "roughnessFactor", 0.65));
        Map<String, Object> gltf = new LinkedHashMap<>();
        gltf.put("asset", asset);
        gltf.put("scene", 0);
        gltf.put("scenes", List.of(ordered("nodes", List.of(0))));
        gltf.put("nodes", List.of(ordered("mesh", 0, "name", "head")));
        gltf.put("meshes", List.of(meshJson));
        gltf.put("materials", List.of(material));
        gltf.put("buffers", List.of(ordered("byteLength", b.bin.size())));
        gltf.put("bufferViews", b.views);
        gltf.put("accessors", b.accessors);
        return container(Json.write(gltf).getBytes(StandardCharsets.UTF_8), b.bin.toByteArray());
    }

    private static byte[] container(byte[] json, byte[] bin) {
        int jsonLen = pad4(json.length);
        int binLen = pad4(bin.length);
        int total = 12 + 8 + jsonLen + 8 + binLen;
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putInt(2).putInt(total);
        out.putInt(jsonLen).putInt(CHUNK_JSON).put(json);
        for (int i = json.length; i < jsonLen; i++) out.put((byte) ' ');
        out.putInt(binLen).putInt(CHUNK_BIN).put(bin);
        return out.array(); // the BIN padding is already zero
    }

    /** A map that keeps the order of {@code keysAndValues}, so the same mesh always gives the same bytes. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static int pad4(int n) {
        return (n + 3) & ~3;
    }

    /** Accumulates the BIN chunk, buffer views and accessors. */
    private static final class Builder {
        final ByteArrayOutputStream bin = new ByteArrayOutputStream();
        final List<Object> views = new ArrayList<>();
        final List<Object> accessors = new ArrayList<>();

        int floats(float[] data, int width, String type, boolean minMax) {
            ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : data) buf.putFloat(x);
            int view = view(buf.array(), ARRAY_BUFFER);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("bufferView", view);
            a.put("componentType", FLOAT);
            a.put("count", data.length / width);
            a.put("type", type);
            if (minMax) {
                List<Object> min = new ArrayList<>(), max = new ArrayList<>();
                for (int c = 0; c < width; c++) {
                    float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
                    for (int i = c; i < data.length; i += width) {
                        lo = Math.min(lo, data[i]);
                        hi = Math.max(hi, data[i]);
                    }
                    min.add(data.length == 0 ? 0.0 : (double) lo);
                    max.add(data.length == 0 ? 0.0 : (double) hi);
                }
                a.put("min", min);
                a.put("max", max);
            }
            accessors.add(a);
            return accessors.size() - 1;
        }

        int indices(int[] faces) {
            ByteBuffer buf = ByteBuffer.allocate(faces.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i : faces) buf.putInt(i);
            int view = view(buf.array(), ELEMENT_ARRAY_BUFFER);
            accessors.add(ordered("bufferView", view, "componentType", UNSIGNED_INT, "count", faces.length, "type", "SCALAR"));
            return accessors.size() - 1;
        }

        private int view(byte[] bytes, int target) {
            int offset = bin.size(); // every view is a multiple of 4 bytes, so offsets stay aligned
            bin.write(bytes, 0, bytes.length);
            views.add(ordered("buffer", 0, "byteOffset", offset, "byteLength", bytes.length, "target", target));
            return views.size() - 1;
        }
    }
}
