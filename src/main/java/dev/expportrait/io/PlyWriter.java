package dev.expportrait.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Binary little-endian PLY: vertex x y z (float), optional nx ny nz (float) and red green blue (uchar,
 * from colours in [0, 1]), and faces as {@code list uchar int vertex_indices}.
 */
public final class PlyWriter {
    private PlyWriter() {}

    public static void write(Path path, TriangleMesh mesh) {
        boolean normals = mesh.normals() != null;
        boolean colors = mesh.colors() != null;
        StringBuilder h = new StringBuilder("ply\nformat binary_little_endian 1.0\ncomment expportrait mesh\n");
        h.append("element vertex ").append(mesh.numVertices()).append('\n');
        h.append("property float x\nproperty float y\nproperty float z\n");
        if (normals) h.append("property float nx\nproperty float ny\nproperty float nz\n");
        if (colors) h.append("property uchar red\nproperty uchar green\nproperty uchar blue\n");
        h.append("element face ").append(mesh.numFaces()).append('\n');
        h.append("property list uchar int vertex_indices\nend_header\n");
        int stride = 12 + (normals ? 12 : 0) + (colors ? 3 : 0);
        ByteBuffer body = ByteBuffer.allocate(mesh.numVertices() * stride + mesh.numFaces() * 13).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < mesh.numVertices(); i++) {
            for (int c = 0; c < 3; c++) body.putFloat(mesh.positions()[i * 3 + c]);
            if (normals) for (int c = 0; c < 3; c++) body.putFloat(mesh.normals()[i * 3 + c]);
            if (colors) {
                for (int c = 0; c < 3; c++) {
                    body.put((byte) Math.round(255 * Math.min(1f, Math.max(0f, mesh.colors()[i * 3 + c]))));
                }
            }
        }
        int[] f = mesh.faces();
        for (int i = 0; i < f.length; i += 3) {
            body.put((byte) 3).putInt(f[i]).putInt(f[i + 1]).putInt(f[i + 2]);
        }
        byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
        AtomicFiles.write(path, out -> {
            out.write(header);
            out.write(body.array());
        });
    }
}
