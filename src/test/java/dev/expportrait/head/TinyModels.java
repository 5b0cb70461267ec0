package dev.expportrait.head;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small random but valid SMPL-X-format models for tests. */
final class TinyModels {
    private TinyModels() {}

    /**
     * A random model: a strip of triangles, a chain-with-branches kinematic tree, random blend shapes and
     * pose correctives, normalised skinning weights and regressor rows.
     */
    static HeadModel random(long seed, int v, int j, int s, int e, boolean withPosedirs) {
        Random r = new Random(seed);
        float[] vt = new float[v * 3];
        for (int i = 0; i < vt.length; i++) {
            vt[i] = (float) r.nextGaussian() * 0.1f;
        }
        int[] faces = new int[(v - 2) * 3];
        for (int f = 0; f < v - 2; f++) {
            faces[f * 3] = f;
            faces[f * 3 + 1] = f % 2 == 0 ? f + 1 : f + 2;
            faces[f * 3 + 2] = f % 2 == 0 ? f + 2 : f + 1;
        }
        int k = s + e;
        float[] shapedirs = new float[v * 3 * k];
        for (int i = 0; i < shapedirs.length; i++) {
            shapedirs[i] = (float) r.nextGaussian() * 0.01f;
        }
        int p = withPosedirs ? 9 * (j - 1) : 0;
        float[] posedirs = new float[v * 3 * p];
        for (int i = 0; i < posedirs.length; i++) {
            posedirs[i] = (float) r.nextGaussian() * 0.005f;
        }
        int[] parents = new int[j];
        parents[0] = -1;
        for (int i = 1; i < j; i++) {
            parents[i] = r.nextInt(i);
        }
        float[] reg = normalisedRows(r, j, v);
        float[] weights = normalisedRows(r, v, j);
        int[] lmkFaces = {0, v - 3};
        float[] lmkBary = {0.2f, 0.3f, 0.5f, 1f / 3, 1f / 3, 1f / 3};
        List<String> jointNames = new ArrayList<>();
        for (int i = 0; i < j; i++) {
            jointNames.add("joint" + i);
        }
        List<String> shapeNames = new ArrayList<>();
        for (int i = 0; i < s; i++) {
            shapeNames.add("shape" + i);
        }
        List<String> exprNames = new ArrayList<>();
        for (int i = 0; i < e; i++) {
            exprNames.add("expr" + i);
        }
        return new HeadModel("tiny", vt, faces, shapedirs, s, e, posedirs, reg, weights, parents, lmkFaces, lmkBary,
                jointNames, shapeNames, exprNames, null, null, null, null);
    }

    private static float[] normalisedRows(Random r, int rows, int cols) {
        float[] m = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double x = r.nextDouble() < 0.5 ? 0 : r.nextDouble();
                m[i * cols + c] = (float) x;
                sum += x;
            }
            if (sum == 0) {
                m[i * cols + r.nextInt(cols)] = 1;
                continue;
            }
            for (int c = 0; c < cols; c++) {
                m[i * cols + c] /= (float) sum;
            }
        }
        return m;
    }
}
