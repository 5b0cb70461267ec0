package dev.expportrait.head.builtin;

import dev.expportrait.head.HeadModel;
import dev.expportrait.head.Joints;
import dev.expportrait.head.Regions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built-in open head: a procedurally generated head-and-shoulders bust in the SMPL-X layout, standing in for
 * SMPL-X, which cannot be redistributed.
 *
 * <p>Frame: metres, x to the subject's left, y up, z out of the face; the base of the neck (joint 12) is at
 * y = 0, the crown at y = 0.325 and the bottom cut, the mesh's only boundary loop, at y = -0.18. The surface is a
 * grid of blended profiles (the skull, face, jaw, neck, shoulders and upper chest) with a heightfield of facial
 * features and ears, dense over the face (about 3 mm). It has 25 joints (SMPL-X 0..24), skinning weights,
 * a convex joint regressor, {@link ShapeDirections} and {@link ExpressionDirections}, no pose correctives,
 * region labels, cylindrical UVs and the 68 iBUG landmarks.
 */
public final class BuiltinHead {
    private BuiltinHead() {}

    public static final String NAME = "builtin-head";
    /** Bump whenever the generated arrays change: it names the cache file (see HeadModels). */
    public static final int VERSION = 1;
    private static final int NUM_JOINTS = 25;

    /** Generates the model; deterministic. */
    public static HeadModel generate() {
        BustSurface surface = BustSurfaceBuilder.build(FaceFeatures::height);
        SurfacePoint[] points = surface.points();
        double[] vertices = surface.vertices();

        Map<String, DisplacementField> shapes = ShapeDirections.all();
        List<String> shapeNames = new ArrayList<>(shapes.keySet());
        List<String> expressionNames = new ArrayList<>();
        List<double[]> columns = new ArrayList<>();
        for (DisplacementField f : shapes.values()) {
            columns.add(sample(f, points));
        }
        for (ExpressionDirections.Expression e : ExpressionDirections.all()) {
            double[] col = sample(e.field(), points);
            if (e.sided()) {
                expressionNames.add(e.name() + "Left");
                columns.add(col);
                expressionNames.add(e.name() + "Right");
                columns.add(mirrored(col, surface.mirror()));
            } else {
                expressionNames.add(e.name());
                columns.add(col);
            }
        }

        double[][] targets = LandmarkLayout.targets();
        int[] lmkFaces = new int[targets.length];
        float[] lmkBary = new float[3 * targets.length];
        for (int l = 0; l < targets.length; l++) {
            FrontProjector.Hit hit = FrontProjector.project(vertices, surface.faces(), targets[l][0], targets[l][1]);
            lmkFaces[l] = hit.face();
            for (int c = 0; c < 3; c++) {
                lmkBary[3 * l + c] = (float) hit.bary()[c];
            }
        }

        return new HeadModel(NAME, toFloat(vertices), surface.faces(), interleave(columns, points.length),
                shapeNames.size(), expressionNames.size(), new float[0],
                JointRegressor.build(vertices, RestJoints.positions()), Skinning.weights(points, NUM_JOINTS),
                Joints.SMPLX_BODY_PARENTS.clone(), lmkFaces, lmkBary,
                List.copyOf(Joints.SMPLX_NAMES.subList(0, NUM_JOINTS)), List.copyOf(shapeNames),
                List.copyOf(expressionNames), RegionLabeler.labels(points), Regions.NAMES,
                surface.uvs(), surface.uvFaces());
    }

    /** A field sampled at every vertex: [V, 3]. */
    private static double[] sample(DisplacementField f, SurfacePoint[] points) {
        double[] d = new double[3 * points.length];
        double[] out = new double[3];
        for (int v = 0; v < points.length; v++) {
            f.at(points[v], out);
            System.arraycopy(out, 0, d, 3 * v, 3);
        }
        return d;
    }

    /** The mirror image of a displacement field [V, 3] across x = 0. */
    private static double[] mirrored(double[] d, int[] mirror) {
        double[] m = new double[d.length];
        for (int v = 0; v < mirror.length; v++) {
            int u = mirror[v];
            m[3 * v] = -d[3 * u];
            m[3 * v + 1] = d[3 * u + 1];
            m[3 * v + 2] = d[3 * u + 2];
        }
        return m;
    }

    /** Columns of [V, 3] fields into shapedirs [V, 3, K]. */
    private static float[] interleave(List<double[]> columns, int n) {
        int k = columns.size();
        float[] s = new float[n * 3 * k];
        for (int c = 0; c < k; c++) {
            double[] col = columns.get(c);
            for (int i = 0; i < 3 * n; i++) {
                s[i * k + c] = (float) col[i];
            }
        }
        return s;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
