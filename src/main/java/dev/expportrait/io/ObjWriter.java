package dev.expportrait.io;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Wavefront OBJ: {@code v}, optional {@code vt} and {@code vn}, and 1-based faces. UVs may have their own
 * topology (seams), as head models store them: {@code vt} [Vt, 2] with {@code uvFaces} [F, 3].
 * Numbers are written with Float.toString, so they read back bit-exactly and never use a locale comma.
 */
public final class ObjWriter {
    private ObjWriter() {}

    /** Positions, faces and, when the mesh has them, per-vertex normals and UVs. */
    public static void write(Path path, TriangleMesh mesh) {
        write(path, mesh, mesh.uvs(), mesh.uvs() == null ? null : mesh.faces());
    }

    /** As {@link #write(Path, TriangleMesh)} with UVs of their own topology (either both null or both given). */
    public static void write(Path path, TriangleMesh mesh, float[] uvs, int[] uvFaces) {
        if ((uvs == null) != (uvFaces == null) || (uvFaces != null && uvFaces.length != mesh.faces().length)) {
            throw new IllegalArgumentException("uvs and uvFaces go together, with one UV triple per face");
        }
        if (uvs != null) {
            TriangleMesh.requireFinite("uvs", uvs);
        }
        AtomicFiles.write(path, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.US_ASCII);
            w.write("# expportrait mesh: " + mesh.numVertices() + " vertices, " + mesh.numFaces() + " faces\n");
            float[] p = mesh.positions();
            for (int i = 0; i < p.length; i += 3) {
                w.write("v " + p[i] + " " + p[i + 1] + " " + p[i + 2] + "\n");
            }
            if (uvs != null) {
                for (int i = 0; i < uvs.length; i += 2) {
                    w.write("vt " + uvs[i] + " " + uvs[i + 1] + "\n");
                }
            }
            float[] n = mesh.normals();
            if (n != null) {
                for (int i = 0; i < n.length; i += 3) {
                    w.write("vn " + n[i] + " " + n[i + 1] + " " + n[i + 2] + "\n");
                }
            }
            int[] f = mesh.faces();
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < f.length; i += 3) {
                line.setLength(0);
                line.append('f');
                for (int k = 0; k < 3; k++) {
                    int v = f[i + k] + 1;
                    line.append(' ').append(v);
                    if (uvs != null || n != null) {
                        line.append('/');
                        if (uvs != null) line.append(uvFaces[i + k] + 1);
                        if (n != null) line.append('/').append(v);
                    }
                }
                w.write(line.append('\n').toString());
            }
            w.flush();
        });
    }
}
