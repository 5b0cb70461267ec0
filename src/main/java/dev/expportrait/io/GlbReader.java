package dev.expportrait.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads .glb files back: the container (checked strictly: magic, version, lengths, chunk types, 4-byte
 * alignment), the JSON document and the float/uint accessors, so written meshes can be verified.
 */
public final class GlbReader {
    private GlbReader() {}

    /** A parsed .glb: the glTF JSON as maps and lists, and the BIN chunk (little-endian). */
    public record Glb(Map<String, Object> json, ByteBuffer bin) {

        @SuppressWarnings("unchecked")
        public Map<String, Object> accessor(int index) {
            return (Map<String, Object>) ((List<Object>) json.get("accessors")).get(index);
        }

        /** The values of a FLOAT accessor, flattened. */
        public float[] floats(int accessorIndex) {
            ByteBuffer b = slice(accessorIndex, 5126);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        }

        /** The values of an UNSIGNED_INT accessor. */
        public int[] ints(int accessorIndex) {
            ByteBuffer b = slice(accessorIndex, 5125);
            int[] out = new int[b.remaining() / 4];
            b.asIntBuffer().get(out);
            return out;
        }

        @SuppressWarnings("unchecked")
        private ByteBuffer slice(int accessorIndex, int componentType) {
            Map<String, Object> a = accessor(accessorIndex);
            if (((Number) a.get("componentType")).intValue() != componentType) {
                throw new IllegalArgumentException("accessor " + accessorIndex + " has componentType " + a.get("componentType"));
            }
            Map<String, Object> view = (Map<String, Object>) ((List<Object>) json.get("bufferViews")).get(((Number) a.get("bufferView")).intValue());
            int offset = ((Number) view.getOrDefault("byteOffset", 0L)).intValue();
            int length = ((Number) view.get("byteLength")).intValue();
            int width = switch ((String) a.get("type")) {
                case "SCALAR" -> 1;
                case "VEC2" -> 2;
                case "VEC3" -> 3;
                case "VEC4" -> 4;
                default -> throw new IllegalArgumentException("accessor type " + a.get("type"));
            };
            int bytes = ((Number) a.get("count")).intValue() * width * 4;
            if (offset < 0 || bytes > length || offset + length > bin.capacity()) {
                throw new IllegalArgumentException("accessor " + accessorIndex + " reaches outside the BIN chunk");
            }
            return bin.duplicate().position(offset).limit(offset + bytes).slice().order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    @SuppressWarnings("unchecked")
    public static Glb read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new InputException(path + ": cannot read (" + e.getMessage() + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 20 || b.getInt(0) != GlbWriter.MAGIC) {
            throw new InputException(path + ": not a glTF binary (.glb) file");
        }
        if (b.getInt(4) != 2) {
            throw new InputException(path + ": glTF binary version " + b.getInt(4) + ", expected 2");
        }
        if (b.getInt(8) != bytes.length) {
            throw new InputException(path + ": header says " + b.getInt(8) + " bytes, file has " + bytes.length);
        }
        int jsonLen = b.getInt(12);
        if (b.getInt(16) != GlbWriter.CHUNK_JSON || jsonLen % 4 != 0 || 20 + jsonLen > bytes.length) {
            throw new InputException(path + ": bad JSON chunk");
        }
        Map<String, Object> json;
        try {
            json = (Map<String, Object>) Json.parse(new String(bytes, 20, jsonLen, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new InputException(path + ": the JSON chunk is not a glTF object (" + e.getMessage() + ")");
        }
        int at = 20 + jsonLen;
        ByteBuffer bin = ByteBuffer.allocate(0);
        if (at < bytes.length) {
            int binLen = b.getInt(at);
            if (b.getInt(at + 4) != GlbWriter.CHUNK_BIN || binLen % 4 != 0 || at + 8 + binLen != bytes.length) {
                throw new InputException(path + ": bad BIN chunk");
            }
            bin = ByteBuffer.wrap(bytes, at + 8, binLen).slice().order(ByteOrder.LITTLE_ENDIAN);
        }
        return new Glb(json, bin);
    }
}
