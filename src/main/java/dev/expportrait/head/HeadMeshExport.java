package dev.expportrait.head;

import dev.expportrait.io.GlbWriter;
import dev.expportrait.io.InputException;
import dev.expportrait.io.MorphTarget;
import dev.expportrait.io.NdArray;
import dev.expportrait.io.Npy;
import dev.expportrait.io.ObjWriter;
import dev.expportrait.io.PlyWriter;
import dev.expportrait.io.TriangleMesh;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Writes one posed frame of a {@link DenseHead} as a mesh file: {@code .glb} (with the expression
 * directions as named morph targets, so any glTF viewer can animate the head), {@code .obj} (with UVs),
 * {@code .ply}, or {@code .npy} (the posed vertices [Vd, 3] as float32).
 */
public final class HeadMeshExport {
    private HeadMeshExport() {}

    public enum Format {
        GLB, OBJ, PLY, NPY;

        /** The format named by the file extension; anything else is refused. */
        public static Format of(Path out) {
            String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1);
            return switch (ext) {
                case "glb" -> GLB;
                case "obj" -> OBJ;
                case "ply" -> PLY;
                case "npy" -> NPY;
                default -> throw new InputException(out + ": unsupported mesh format '" + ext + "' (use .glb, .obj, .ply or .npy)");
            };
        }
    }

    /** What was written: counts for the user. */
    public record Summary(Path path, Format format, int vertices, int faces, int morphTargets) {}

    /**
     * Poses {@code params} on {@code head} and writes the mesh to {@code out}.
     *
     * @param morphTargets for .glb: add one morph target per expression direction (delta of +1 at this pose)
     * @param provenance metadata stored in the file where the format allows (.glb asset extras)
     */
    public static Summary write(Path out, DenseHead head, HeadParameters params, boolean morphTargets, Map<String, String> provenance) {
        Format format = Format.of(out);
        HeadModel m = head.model();
        int e = m.numExpression();
        boolean withTargets = morphTargets && format == Format.GLB && e > 0;
        int frames = withTargets ? 1 + e : 1;
        float[] posed = pose(head, params, frames);
        int vd = head.numVertices();
        float[] base = java.util.Arrays.copyOf(posed, vd * 3);
        int[] faces = head.faces();
        switch (format) {
            case NPY -> Npy.write(out, NdArray.ofFloats(base, vd, 3));
            case PLY -> PlyWriter.write(out, new TriangleMesh(base, faces, MeshNormals.vertexNormals(base, faces), null, null));
            case OBJ -> {
                DenseHead.Uvs uvs = head.denseUvs();
                TriangleMesh mesh = new TriangleMesh(base, faces, null, null, null);
                if (uvs == null) {
                    ObjWriter.write(out, mesh);
                } else {
                    ObjWriter.write(out, mesh, uvs.uvs(), uvs.uvFaces());
                }
            }
            case GLB -> writeGlb(out, head, posed, frames, provenance);
        }
        return new Summary(out, format, vd, faces.length / 3, withTargets ? e : 0);
    }

    /** Frame 0 is {@code params}; frame k adds 1 to expression coefficient k - 1. Returns [frames, Vd, 3]. */
    private static float[] pose(DenseHead head, HeadParameters p, int frames) {
        HeadModel m = head.model();
        int s = m.numShape(), e = m.numExpression(), j = m.numJoints();
        float[] betas = new float[frames * s];
        float[] expr = new float[frames * e];
        float[] pose = new float[frames * j * 3];
        for (int t = 0; t < frames; t++) {
            System.arraycopy(p.betas(), 0, betas, t * s, s);
            System.arraycopy(p.expression(), 0, expr, t * e, e);
            System.arraycopy(p.pose(), 0, pose, t * j * 3, j * 3);
            if (t > 0) {
                expr[t * e + t - 1] += 1;
            }
        }
        Tensor posed = head.pose(Tensors.floats(betas, frames, s), Tensors.floats(expr, frames, e),
                Tensors.floats(pose, frames, j, 3), null, null, null).vertices();
        return Tensors.toFloats(posed);
    }

    private static void writeGlb(Path out, DenseHead head, float[] posed, int frames, Map<String, String> provenance) {
        int vd = head.numVertices();
        int[] faces = head.faces();
        float[] base = java.util.Arrays.copyOf(posed, vd * 3);
        float[] normals = MeshNormals.vertexNormals(base, faces);
        List<String> names = head.model().expressionNames();
        // glTF keeps one UV per vertex: split vertices along UV seams.
        DenseHead.Uvs uvs = head.denseUvs();
        int[] vertexOf;
        float[] uvPerVertex = null;
        int[] outFaces;
        if (uvs == null) {
            vertexOf = new int[vd];
            for (int i = 0; i < vd; i++) vertexOf[i] = i;
            outFaces = faces;
        } else {
            Map<Long, Integer> pair = new HashMap<>();
            List<Integer> vs = new ArrayList<>();
            List<Integer> ts = new ArrayList<>();
            outFaces = new int[faces.length];
            for (int c = 0; c < faces.length; c++) {
                long key = ((long) faces[c] << 32) | uvs.uvFaces()[c];
                Integer idx = pair.get(key);
                if (idx == null) {
                    idx = vs.size();
                    pair.put(key, idx);
                    vs.add(faces[c]);
                    ts.add(uvs.uvFaces()[c]);
                }
                outFaces[c] = idx;
            }
            vertexOf = vs.stream().mapToInt(Integer::intValue).toArray();
            uvPerVertex = new float[vertexOf.length * 2];
            for (int i = 0; i < vertexOf.length; i++) {
                uvPerVertex[i * 2] = uvs.uvs()[ts.get(i) * 2];
                uvPerVertex[i * 2 + 1] = 1 - uvs.uvs()[ts.get(i) * 2 + 1]; // glTF's v runs downwards
            }
        }
        TriangleMesh mesh = new TriangleMesh(gather(base, vertexOf), outFaces, gather(normals, vertexOf), uvPerVertex, null);
        List<MorphTarget> targets = new ArrayList<>();
        for (int t = 1; t < frames; t++) {
            float[] delta = new float[vertexOf.length * 3];
            for (int i = 0; i < vertexOf.length; i++) {
                for (int c = 0; c < 3; c++) {
                    delta[i * 3 + c] = posed[(t * vd + vertexOf[i]) * 3 + c] - base[vertexOf[i] * 3 + c];
                }
            }
            targets.add(new MorphTarget(names.get(t - 1), delta));
        }
        GlbWriter.write(out, mesh, targets, provenance);
    }

    private static float[] gather(float[] perVertex, int[] vertexOf) {
        float[] out = new float[vertexOf.length * 3];
        for (int i = 0; i < vertexOf.length; i++) {
            System.arraycopy(perVertex, vertexOf[i] * 3, out, i * 3, 3);
        }
        return out;
    }
}
