package dev.expportrait.head.builtin;

import dev.expportrait.head.HeadModel;
import dev.expportrait.head.Joints;
import dev.expportrait.head.Regions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Skinning, joints, blend shapes, regions and landmarks of the built-in head. */
class BuiltinHeadRigTest {
    private static HeadModel m;
    private static int nv;
    private static int nk;
    private static float[] v;
    private static int[] mirror;

    @BeforeAll
    static void generate() {
        m = BuiltinFixture.MODEL;
        nv = m.numVertices();
        nk = m.numShape() + m.numExpression();
        v = m.vTemplate();
        mirror = MeshMirror.of(v);
    }

    @Test
    void skinningWeightsAreConvex() {
        for (int i = 0; i < nv; i++) {
            double sum = 0;
            for (int j = 0; j < 25; j++) {
                float w = m.weights()[i * 25 + j];
                assertThat(w).isGreaterThanOrEqualTo(0f);
                sum += w;
            }
            assertThat(sum).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void unusedJointsCarryNoWeight() {
        for (int j : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 18, 19, 20, 21}) {
            for (int i = 0; i < nv; i++) {
                assertThat(m.weights()[i * 25 + j]).isZero();
            }
        }
    }

    @Test
    void faceFollowsHeadJawAndEyes() {
        int chin = nearest(0, FaceLayout.CHIN_Y, 1);
        assertThat(weight(chin, Joints.JAW)).isGreaterThan(0.5);
        int lowerLip = nearest(0, FaceLayout.LOWER_LIP_Y, 1);
        assertThat(weight(lowerLip, Joints.JAW)).isGreaterThan(0.5);
        int upperLip = nearest(0, FaceLayout.UPPER_LIP_Y + 0.002, 1);
        assertThat(weight(upperLip, Joints.HEAD)).isGreaterThan(0.9);
        int forehead = nearest(0, 0.25, 1);
        assertThat(weight(forehead, Joints.HEAD)).isGreaterThan(0.9);
        int crown = nearest(0, 0.4, 0);
        assertThat(weight(crown, Joints.HEAD)).isEqualTo(1.0);
        int upperLid = nearest(FaceLayout.EYE_X, FaceLayout.EYE_Y + 0.009, 1);
        assertThat(weight(upperLid, Joints.HEAD)).isGreaterThan(0.9);
        int eyeCount = 0;
        for (int i = 0; i < nv; i++) {
            if (m.regions()[i] == Regions.EYES) {
                eyeCount++;
                int eye = v[3 * i] > 0 ? Joints.LEFT_EYE : Joints.RIGHT_EYE;
                assertThat(weight(i, eye)).as("eyeball vertex %d", i).isGreaterThan(0.5);
            }
        }
        assertThat(eyeCount).isGreaterThan(20);
    }

    @Test
    void neckAndTorsoBlendDownTheBust() {
        int neck = nearest(0, 0.04, -1);
        assertThat(weight(neck, Joints.NECK)).isGreaterThan(0.5);
        int chest = nearest(0, -0.12, 1);
        assertThat(weight(chest, Joints.SPINE3)).isGreaterThan(0.9);
        int shoulder = nearest(0.2, -0.06, 0);
        assertThat(weight(shoulder, Joints.LEFT_SHOULDER)).isGreaterThan(0.5);
    }

    @Test
    void weightsAreSmoothOutsideTheMouthLine() {
        int[] f = m.faces();
        for (int t = 0; t < f.length / 3; t++) {
            for (int e = 0; e < 3; e++) {
                int a = f[3 * t + e];
                int b = f[3 * t + (e + 1) % 3];
                // The lips part along the mouth line and its corners (the commissures).
                boolean mouth = Math.abs(v[3 * a + 1] - FaceLayout.MOUTH_Y) < 0.012 && Math.abs(v[3 * a]) < FaceLayout.MOUTH_CORNER_X + 0.02;
                // The eyeball turns with its eye joint while the lids stay with the head: a real seam.
                boolean eyeRim = weight(a, Joints.LEFT_EYE) + weight(a, Joints.RIGHT_EYE) + weight(b, Joints.LEFT_EYE)
                        + weight(b, Joints.RIGHT_EYE) > 0;
                if (eyeRim || mouth) {
                    continue; // seams the anatomy demands
                }
                double len = Math.sqrt(Math.pow(v[3 * a] - v[3 * b], 2) + Math.pow(v[3 * a + 1] - v[3 * b + 1], 2)
                        + Math.pow(v[3 * a + 2] - v[3 * b + 2], 2));
                for (int j = 0; j < 25; j++) {
                    double jump = Math.abs(weight(a, j) - weight(b, j));
                    // At most 0.35 across an edge, or a gentle slope (25 per metre) where the grid is coarse.
                    assertThat(jump < 0.35 || jump / len < 25).as("edge %d-%d joint %d: jump %.3f over %.4f m", a, b, j, jump, len)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void regressorRowsAreConvex() {
        for (int j = 0; j < 25; j++) {
            double sum = 0;
            for (int i = 0; i < nv; i++) {
                float w = m.jRegressor()[j * nv + i];
                assertThat(w).isGreaterThanOrEqualTo(0f);
                sum += w;
            }
            assertThat(sum).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void regressedJointsAreWhereIntended() {
        double[][] intended = RestJoints.positions();
        for (int j = 0; j < 25; j++) {
            double[] p = BuiltinFixture.joint(j);
            for (int c = 0; c < 3; c++) {
                assertThat(p[c]).as("joint %d axis %d", j, c).isCloseTo(intended[j][c], within(0.003));
            }
        }
        double[] head = BuiltinFixture.joint(Joints.HEAD);
        double[] jaw = BuiltinFixture.joint(Joints.JAW);
        double[] neck = BuiltinFixture.joint(Joints.NECK);
        double[] le = BuiltinFixture.joint(Joints.LEFT_EYE);
        double[] re = BuiltinFixture.joint(Joints.RIGHT_EYE);
        assertThat(jaw[1]).isLessThan(head[1]);
        assertThat(jaw[2]).isGreaterThan(head[2]);
        assertThat(jaw[0]).isCloseTo(0, within(1e-4));
        assertThat(neck[1]).isLessThan(head[1] - 0.1);
        assertThat(le[0]).isBetween(0.025, 0.04);
        assertThat(re[0]).isCloseTo(-le[0], within(1e-4));
        assertThat(le[1]).isCloseTo(re[1], within(1e-4));
        // The parent of every joint is a joint of the same rig.
        for (int j = 1; j < 25; j++) {
            assertThat(m.parents()[j]).isBetween(0, j - 1);
        }
    }

    @Test
    void expressionsStayInTheirRegionAndSide() {
        Set<Integer> face = Set.of(Regions.FACE, Regions.LIPS, Regions.EYES);
        check("browInnerUp", Set.of(Regions.FACE), 0);
        check("browDownLeft", Set.of(Regions.FACE), 1);
        check("browOuterUpRight", Set.of(Regions.FACE), -1);
        check("eyeBlinkLeft", Set.of(Regions.FACE, Regions.EYES), 1);
        check("eyeBlinkRight", Set.of(Regions.FACE, Regions.EYES), -1);
        check("eyeWideLeft", Set.of(Regions.FACE, Regions.EYES), 1);
        check("cheekSquintLeft", Set.of(Regions.FACE), 1);
        check("noseSneerLeft", Set.of(Regions.FACE), 1);
        check("mouthSmileLeft", face, 1);
        check("mouthSmileRight", face, -1);
        check("mouthFrownLeft", face, 1);
        check("mouthPucker", Set.of(Regions.LIPS, Regions.FACE), 0);
        check("mouthFunnel", Set.of(Regions.LIPS, Regions.FACE), 0);
        check("mouthPressLeft", Set.of(Regions.LIPS, Regions.FACE), 1);
        check("mouthStretchLeft", face, 1);
        check("cheekPuff", Set.of(Regions.FACE), 0);
        check("mouthUpperUpLeft", Set.of(Regions.LIPS, Regions.FACE), 1);
        check("mouthLowerDownLeft", Set.of(Regions.LIPS, Regions.FACE), 1);
        check("mouthDimpleLeft", face, 1);
        for (String name : m.expressionNames()) {
            check(name, Set.of(Regions.FACE, Regions.LIPS, Regions.EYES), name.endsWith("Left") ? 1 : name.endsWith("Right") ? -1 : 0);
        }
    }

    @Test
    void blinkClosesTheEyeAndSmileLiftsTheCorners() {
        int lid = nearest(FaceLayout.EYE_X, FaceLayout.EYE_Y + FaceLayout.OPENING_RY + 0.0015, 1);
        double[] d = direction("eyeBlinkLeft", lid);
        assertThat(d[1]).isLessThan(-0.008);
        int corner = nearest(FaceLayout.MOUTH_CORNER_X, FaceLayout.MOUTH_Y, 1);
        double[] s = direction("mouthSmileLeft", corner);
        assertThat(Math.sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2])).isBetween(0.006, 0.01);
        assertThat(s[1]).isPositive();
    }

    @Test
    void leftAndRightDirectionsAreMirrorImages() {
        for (String name : m.expressionNames()) {
            if (!name.endsWith("Left")) {
                continue;
            }
            String right = name.substring(0, name.length() - 4) + "Right";
            assertThat(m.expressionNames()).contains(right);
            for (int i = 0; i < nv; i++) {
                double[] l = direction(name, i);
                double[] r = direction(right, mirror[i]);
                assertThat(r[0]).isCloseTo(-l[0], within(1e-4));
                assertThat(r[1]).isCloseTo(l[1], within(1e-4));
                assertThat(r[2]).isCloseTo(l[2], within(1e-4));
            }
        }
    }

    @Test
    void shapeDirectionsAreNonZeroPlausibleAndLocal() {
        for (String name : m.shapeNames()) {
            double max = 0;
            for (int i = 0; i < nv; i++) {
                double[] d = direction(name, i);
                max = Math.max(max, Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
            }
            assertThat(max).as(name).isBetween(0.002, 0.015);
        }
        double[] tip = BuiltinFixture.landmark(30);
        assertThat(energyNear("nose_length", tip, 0.035)).isGreaterThan(0.95);
        assertThat(energyNear("nose_width", tip, 0.035)).isGreaterThan(0.95);
        assertThat(energyIn("neck_thickness", Set.of(Regions.NECK))).isGreaterThan(0.8);
        assertThat(energyIn("shoulder_width", Set.of(Regions.SHOULDERS))).isGreaterThan(0.9);
        assertThat(energyIn("brow_ridge", Set.of(Regions.FACE))).isGreaterThan(0.9);
        assertThat(energyIn("cheek_fullness", Set.of(Regions.FACE))).isGreaterThan(0.9);
        assertThat(energyIn("chin_length", Set.of(Regions.FACE, Regions.LIPS))).isGreaterThan(0.8);
        Set<Integer> head = Set.of(Regions.FACE, Regions.SCALP, Regions.EARS, Regions.EYES, Regions.LIPS);
        for (String name : new String[] {"head_width", "head_height", "head_depth", "jaw_width"}) {
            assertThat(energyIn(name, head)).as(name).isGreaterThan(0.8);
        }
    }

    @Test
    void regionsCoverTheBust() {
        int[] count = new int[Regions.NAMES.size()];
        for (int r : m.regions()) {
            assertThat(r).isBetween(0, Regions.NAMES.size() - 1);
            count[r]++;
        }
        for (int c : count) {
            assertThat(c).isPositive();
        }
        assertThat(m.regions()[nearest(0, 0.4, 0)]).isEqualTo(Regions.SCALP);
        assertThat(m.regions()[nearest(0, 0.25, 1)]).isEqualTo(Regions.FACE);
        assertThat(m.regions()[nearest(0, FaceLayout.UPPER_LIP_Y, 1)]).isEqualTo(Regions.LIPS);
        assertThat(m.regions()[nearest(0, 0.05, 1)]).isEqualTo(Regions.NECK);
        assertThat(m.regions()[nearest(0, -0.15, -1)]).isEqualTo(Regions.SHOULDERS);
        int earTip = 0;
        for (int i = 0; i < nv; i++) {
            if (v[3 * i] > v[3 * earTip] && v[3 * i + 1] > 0.12) {
                earTip = i;
            }
        }
        assertThat(m.regions()[earTip]).isEqualTo(Regions.EARS);
    }

    @Test
    void landmarksAreValidAndOnTheirFeatures() {
        for (int l = 0; l < 68; l++) {
            assertThat(m.lmkFaces()[l]).isBetween(0, m.numFaces() - 1);
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                assertThat(m.lmkBary()[3 * l + c]).isGreaterThanOrEqualTo(0f);
                sum += m.lmkBary()[3 * l + c];
            }
            assertThat(sum).isCloseTo(1, within(1e-5));
        }
        double[][] p = new double[68][];
        for (int l = 0; l < 68; l++) {
            p[l] = BuiltinFixture.landmark(l);
        }
        for (int l = 0; l < 68; l++) {
            if (l != 30) {
                assertThat(p[30][2]).as("nose tip in front of %d", l).isGreaterThan(p[l][2]);
            }
        }
        for (int l = 0; l <= 16; l++) {
            if (l != 8) {
                assertThat(p[8][1]).as("chin below %d", l).isLessThan(p[l][1]);
            }
        }
        for (int l = 0; l < 8; l++) {
            assertThat(p[l][0]).isNegative();
            assertThat(p[16 - l][0]).isPositive();
        }
        for (int l = 36; l <= 41; l++) {
            assertThat(p[l][0]).isNegative();
            assertThat(p[l + 6][0]).isPositive();
        }
        double eyeY = BuiltinFixture.joint(Joints.LEFT_EYE)[1];
        for (int l : new int[] {36, 39, 42, 45}) {
            assertThat(p[l][1]).isCloseTo(eyeY, within(0.006));
        }
        // Outer corners lie outside the inner ones; brows above eyes; mouth below the nose, corners at 48/54.
        assertThat(p[36][0]).isLessThan(p[39][0]);
        assertThat(p[45][0]).isGreaterThan(p[42][0]);
        assertThat(p[19][1]).isGreaterThan(p[37][1] + 0.01);
        assertThat(p[33][1]).isLessThan(p[30][1]);
        assertThat(p[51][1]).isLessThan(p[33][1]);
        assertThat(p[57][1]).isLessThan(p[66][1]);
        assertThat(p[48][0]).isNegative();
        assertThat(p[54][0]).isPositive();
        for (int l = 0; l < 68; l++) {
            int mirrorOf = IBUG_MIRROR[l];
            assertThat(p[mirrorOf][0]).as("landmark %d mirrors %d", l, mirrorOf).isCloseTo(-p[l][0], within(1e-4));
            assertThat(p[mirrorOf][1]).isCloseTo(p[l][1], within(1e-4));
        }
    }

    /** The iBUG 68 left-right correspondence. */
    private static final int[] IBUG_MIRROR = {
            16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
            26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
            27, 28, 29, 30, 35, 34, 33, 32, 31,
            45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40,
            54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55,
            64, 63, 62, 61, 60, 67, 66, 65};

    private void check(String name, Set<Integer> regions, int side) {
        double in = 0;
        double total = 0;
        for (int i = 0; i < nv; i++) {
            double[] d = direction(name, i);
            double e = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            total += e;
            boolean sideOk = side == 0 || Math.signum(v[3 * i]) == side;
            if (regions.contains(m.regions()[i]) && sideOk) {
                in += e;
            }
        }
        assertThat(total).as(name).isPositive();
        assertThat(in / total).as("%s inside its region", name).isGreaterThanOrEqualTo(0.8);
    }

    private double energyIn(String name, Set<Integer> regions) {
        double in = 0;
        double total = 0;
        for (int i = 0; i < nv; i++) {
            double[] d = direction(name, i);
            double e = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            total += e;
            if (regions.contains(m.regions()[i])) {
                in += e;
            }
        }
        return in / total;
    }

    private double energyNear(String name, double[] c, double radius) {
        double in = 0;
        double total = 0;
        for (int i = 0; i < nv; i++) {
            double[] d = direction(name, i);
            double e = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            total += e;
            double r = Math.sqrt(sq(v[3 * i] - c[0]) + sq(v[3 * i + 1] - c[1]) + sq(v[3 * i + 2] - c[2]));
            if (r < radius) {
                in += e;
            }
        }
        return in / total;
    }

    private static double[] direction(String name, int i) {
        int col = m.shapeNames().indexOf(name);
        if (col < 0) {
            col = m.numShape() + m.expressionNames().indexOf(name);
        }
        float[] s = m.shapedirs();
        return new double[] {s[(i * 3) * nk + col], s[(i * 3 + 1) * nk + col], s[(i * 3 + 2) * nk + col]};
    }

    private static double weight(int i, int j) {
        return m.weights()[i * 25 + j];
    }

    /** The vertex nearest to (x, y) on the front (zSign 1), back (-1) or anywhere (0), by x and y only. */
    private static int nearest(double x, double y, int zSign) {
        int best = -1;
        double bestD = Double.MAX_VALUE;
        for (int i = 0; i < nv; i++) {
            if (zSign != 0 && Math.signum(v[3 * i + 2]) != zSign) {
                continue;
            }
            if (zSign == 1 && v[3 * i + 2] < 0.03) {
                continue;
            }
            double d = sq(v[3 * i] - x) + sq(v[3 * i + 1] - y);
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    private static double sq(double a) {
        return a * a;
    }
}
