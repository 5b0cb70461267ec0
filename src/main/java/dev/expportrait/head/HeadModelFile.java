package dev.expportrait.head;

import dev.expportrait.io.InputException;
import dev.expportrait.io.NdArray;
import dev.expportrait.io.Npz;
import dev.expportrait.io.NpzFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes head models as {@code .npz} in the SMPL-X layout: {@code v_template} (V,3), {@code f}
 * (F,3), {@code shapedirs} (V,3,S+E), {@code posedirs} (V,3,P), {@code J_regressor} (J,V), {@code weights}
 * (V,J), {@code kintree_table} (2,J), {@code lmk_faces_idx} (L), {@code lmk_bary_coords} (L,3), plus our
 * optional {@code regions} (V), {@code region_names}, {@code vt} (Vt,2), {@code ft} (F,3),
 * {@code joint_names}, {@code shape_names}, {@code expression_names} and {@code shape_space_dim}.
 *
 * <p>A licensed {@code SMPLX_NEUTRAL.npz} reads as is (its pickled extras such as {@code joint2num} are
 * never touched). Its shape/expression split comes from the file: {@code shape_space_dim} when present,
 * else 400 columns are SMPL-X's 300 + 100 and 20 columns the older 10 + 10. Files we write carry
 * {@code expportrait_format} = [{@value #FORMAT}, {@value #VERSION}], which the reader checks.
 */
public final class HeadModelFile {
    private HeadModelFile() {}

    public static final String FORMAT = "expportrait.head-model";
    public static final String VERSION = "1";

    public static HeadModel read(Path path) {
        try (NpzFile npz = Npz.open(path)) {
            return read(npz, path);
        }
    }

    private static HeadModel read(NpzFile npz, Path path) {
        String src = path.toString();
        if (npz.has("expportrait_format")) {
            List<String> fmt = npz.get("expportrait_format").toStrings();
            if (fmt.size() != 2 || !FORMAT.equals(fmt.get(0)) || !VERSION.equals(fmt.get(1))) {
                throw new InputException(src + ": unsupported head-model format " + fmt + " (this tool reads " + FORMAT + " version " + VERSION + ")");
            }
        }
        NdArray vt = require(npz, src, "v_template", 2);
        int v = (int) vt.shape(0);
        expect(src, "v_template", vt, v, 3);
        NdArray f = require(npz, src, "f", 2);
        int nf = (int) f.shape(0);
        expect(src, "f", f, nf, 3);
        NdArray sd = require(npz, src, "shapedirs", 3);
        int k = (int) sd.shape(2);
        expect(src, "shapedirs", sd, v, 3, k);
        NdArray reg = require(npz, src, "J_regressor", 2);
        int j = (int) reg.shape(0);
        expect(src, "J_regressor", reg, j, v);
        NdArray w = require(npz, src, "weights", 2);
        expect(src, "weights", w, v, j);
        NdArray kin = require(npz, src, "kintree_table", 2);
        expect(src, "kintree_table", kin, 2, j);

        int numShape = shapeSpaceDim(npz, src, k);
        float[] posedirs = new float[0];
        if (npz.has("posedirs")) {
            NdArray pd = npz.get("posedirs");
            if (pd.ndim() != 3 || pd.shape(0) != v || pd.shape(1) != 3 || (pd.shape(2) != 9L * (j - 1) && pd.shape(2) != 0)) {
                throw new InputException(src + ": array 'posedirs' has shape " + Arrays.toString(pd.shape())
                        + ", expected (" + v + ", 3, " + 9 * (j - 1) + ")");
            }
            posedirs = finite(src, "posedirs", pd.toFloatArray());
        }
        int[] parents = parents(src, kin.toLongArray(), j);
        int[] faces = f.toIntArray();
        checkIndices(src, "f", faces, v);

        int[] lmkFaces = new int[0];
        float[] lmkBary = new float[0];
        if (npz.has("lmk_faces_idx")) {
            NdArray lf = npz.get("lmk_faces_idx");
            NdArray lb = require(npz, src, "lmk_bary_coords", 2);
            int l = (int) lf.numel();
            expect(src, "lmk_bary_coords", lb, l, 3);
            lmkFaces = lf.toIntArray();
            checkIndices(src, "lmk_faces_idx", lmkFaces, nf);
            lmkBary = finite(src, "lmk_bary_coords", lb.toFloatArray());
        }
        int[] regions = null;
        List<String> regionNames = null;
        if (npz.has("regions")) {
            NdArray r = npz.get("regions");
            expect(src, "regions", r, v);
            regions = r.toIntArray();
            regionNames = npz.has("region_names") ? npz.get("region_names").toStrings() : defaultNames("region", max(regions) + 1);
            checkIndices(src, "regions", regions, regionNames.size());
        }
        float[] uvs = null;
        int[] uvFaces = null;
        if (npz.has("vt") && npz.has("ft")) {
            NdArray uv = npz.get("vt");
            if (uv.ndim() != 2 || uv.shape(1) != 2) {
                throw new InputException(src + ": array 'vt' has shape " + Arrays.toString(uv.shape()) + ", expected (Vt, 2)");
            }
            NdArray ft = npz.get("ft");
            expect(src, "ft", ft, nf, 3);
            uvs = finite(src, "vt", uv.toFloatArray());
            uvFaces = ft.toIntArray();
            checkIndices(src, "ft", uvFaces, (int) uv.shape(0));
        }
        String name = npz.has("name") ? npz.get("name").toStrings().get(0) : fileStem(path);
        return new HeadModel(name,
                finite(src, "v_template", vt.toFloatArray()), faces,
                finite(src, "shapedirs", sd.toFloatArray()), numShape, k - numShape, posedirs,
                finite(src, "J_regressor", reg.toFloatArray()), finite(src, "weights", w.toFloatArray()),
                parents, lmkFaces, lmkBary,
                names(npz, "joint_names", j, j == Joints.SMPLX_NAMES.size() ? Joints.SMPLX_NAMES : defaultNames("joint", j)),
                names(npz, "shape_names", numShape, defaultNames("shape", numShape)),
                names(npz, "expression_names", k - numShape, defaultNames("expr", k - numShape)),
                regions, regionNames, uvs, uvFaces);
    }

    /** Writes {@code m} in the layout {@link #read} reads, atomically. */
    public static void write(Path path, HeadModel m) {
        int v = m.numVertices(), j = m.numJoints(), k = m.numShape() + m.numExpression();
        Map<String, NdArray> a = new LinkedHashMap<>();
        a.put("expportrait_format", NdArray.ofStrings(List.of(FORMAT, VERSION)));
        a.put("name", NdArray.ofStrings(List.of(m.name())));
        a.put("v_template", NdArray.ofFloats(m.vTemplate(), v, 3));
        a.put("f", NdArray.ofInts(m.faces(), m.numFaces(), 3));
        a.put("shapedirs", NdArray.ofFloats(m.shapedirs(), v, 3, k));
        a.put("shape_space_dim", NdArray.ofInts(new int[] {m.numShape()}));
        a.put("posedirs", NdArray.ofFloats(m.posedirs(), v, 3, m.numPoseBasis()));
        a.put("J_regressor", NdArray.ofFloats(m.jRegressor(), j, v));
        a.put("weights", NdArray.ofFloats(m.weights(), v, j));
        long[] kin = new long[2 * j];
        for (int i = 0; i < j; i++) {
            kin[i] = m.parents()[i];
            kin[j + i] = i;
        }
        a.put("kintree_table", NdArray.ofLongs(kin, 2, j));
        a.put("lmk_faces_idx", NdArray.ofInts(m.lmkFaces(), m.numLandmarks()));
        a.put("lmk_bary_coords", NdArray.ofFloats(m.lmkBary(), m.numLandmarks(), 3));
        a.put("joint_names", NdArray.ofStrings(m.jointNames()));
        a.put("shape_names", NdArray.ofStrings(m.shapeNames()));
        a.put("expression_names", NdArray.ofStrings(m.expressionNames()));
        if (m.hasRegions()) {
            a.put("regions", NdArray.ofInts(m.regions(), v));
            a.put("region_names", NdArray.ofStrings(m.regionNames()));
        }
        if (m.hasUvs()) {
            a.put("vt", NdArray.ofFloats(m.uvs(), m.uvs().length / 2, 2));
            a.put("ft", NdArray.ofInts(m.uvFaces(), m.numFaces(), 3));
        }
        Npz.write(path, a, true);
    }

    private static int shapeSpaceDim(NpzFile npz, String src, int k) {
        if (npz.has("shape_space_dim")) {
            int s = npz.get("shape_space_dim").toIntArray()[0];
            if (s < 0 || s > k) {
                throw new InputException(src + ": shape_space_dim " + s + " is outside 0.." + k);
            }
            return s;
        }
        if (k == 400) {
            return 300;
        }
        if (k == 20) {
            return 10;
        }
        throw new InputException(src + ": cannot tell shape from expression columns in shapedirs with " + k
                + " columns (SMPL-X has 400 or 20); add an integer array 'shape_space_dim'");
    }

    private static int[] parents(String src, long[] kin, int j) {
        int[] parents = new int[j];
        for (int i = 0; i < j; i++) {
            long p = kin[i];
            // SMPL-X files store the root's parent as -1 or as uint32 4294967295.
            parents[i] = (i == 0 && (p < 0 || p >= j)) ? -1 : (int) p;
            if (i > 0 && (p < 0 || p >= i)) {
                throw new InputException(src + ": kintree_table gives joint " + i + " the parent " + p + "; parents must precede children");
            }
        }
        return parents;
    }

    private static NdArray require(NpzFile npz, String src, String key, int ndim) {
        if (!npz.has(key)) {
            throw new InputException(src + ": no array '" + key + "': not a SMPL-X-format head model");
        }
        NdArray a = npz.get(key);
        if (a.ndim() != ndim) {
            throw new InputException(src + ": array '" + key + "' has " + a.ndim() + " dimensions, expected " + ndim);
        }
        return a;
    }

    private static void expect(String src, String key, NdArray a, long... shape) {
        if (!Arrays.equals(a.shape(), shape)) {
            throw new InputException(src + ": array '" + key + "' has shape " + Arrays.toString(a.shape()) + ", expected " + Arrays.toString(shape));
        }
    }

    private static float[] finite(String src, String key, float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new InputException(src + ": array '" + key + "' has a non-finite value (" + x[i] + ") at flat index " + i);
            }
        }
        return x;
    }

    private static void checkIndices(String src, String key, int[] idx, int bound) {
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= bound) {
                throw new InputException(src + ": array '" + key + "' has index " + idx[i] + " at flat index " + i + ", outside 0.." + (bound - 1));
            }
        }
    }

    private static List<String> names(NpzFile npz, String key, int count, List<String> fallback) {
        if (!npz.has(key)) {
            return fallback;
        }
        List<String> names = npz.get(key).toStrings();
        if (names.size() != count) {
            throw new InputException("array '" + key + "' has " + names.size() + " names for " + count + " entries");
        }
        return names;
    }

    private static List<String> defaultNames(String prefix, int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(String.format("%s%03d", prefix, i));
        }
        return out;
    }

    private static int max(int[] x) {
        int m = -1;
        for (int v : x) m = Math.max(m, v);
        return m;
    }

    private static String fileStem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
