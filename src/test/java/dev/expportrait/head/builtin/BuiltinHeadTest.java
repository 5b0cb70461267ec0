package dev.expportrait.head.builtin;

import dev.expportrait.head.HeadModel;
import dev.expportrait.head.Joints;
import dev.expportrait.head.Regions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mesh, rig and naming checks of the built-in head. */
class BuiltinHeadTest {
    private static HeadModel m;
    private static int nv;
    private static float[] v;

    @BeforeAll
    static void generate() {
        m = BuiltinFixture.MODEL;
        nv = m.numVertices();
        v = m.vTemplate();
    }

    @Test
    void countsAndNamesAreInRange() {
        assertThat(m.name()).isEqualTo("builtin-head");
        assertThat(nv).isBetween(3000, 8000);
        assertThat(m.faces().length % 3).isZero();
        assertThat(m.numJoints()).isEqualTo(25);
        assertThat(m.jointNames()).isEqualTo(Joints.SMPLX_NAMES.subList(0, 25));
        assertThat(m.parents()).containsExactly(Joints.SMPLX_BODY_PARENTS);
        assertThat(m.numShape()).isGreaterThanOrEqualTo(10).isEqualTo(m.shapeNames().size());
        assertThat(m.numExpression()).isGreaterThanOrEqualTo(20).isEqualTo(m.expressionNames().size());
        assertThat(m.shapeNames()).contains("head_width", "head_height", "head_depth", "jaw_width", "chin_length",
                "nose_length", "nose_width", "cheek_fullness", "brow_ridge", "neck_thickness", "shoulder_width");
        assertThat(m.expressionNames()).contains("browInnerUp", "browDownLeft", "browDownRight", "eyeBlinkLeft",
                "eyeBlinkRight", "eyeWideLeft", "mouthSmileLeft", "mouthSmileRight", "mouthFrownLeft", "mouthPucker",
                "mouthFunnel", "cheekPuff", "noseSneerLeft", "cheekSquintLeft", "mouthPressLeft", "mouthStretchLeft",
                "mouthUpperUpLeft", "mouthLowerDownLeft", "mouthDimpleLeft");
        assertThat(m.shapedirs()).hasSize(nv * 3 * (m.numShape() + m.numExpression()));
        assertThat(m.posedirs()).isEmpty();
        assertThat(m.numPoseBasis()).isZero();
        assertThat(m.jRegressor()).hasSize(25 * nv);
        assertThat(m.weights()).hasSize(nv * 25);
        assertThat(m.regions()).hasSize(nv);
        assertThat(m.regionNames()).isEqualTo(Regions.NAMES);
        assertThat(m.numLandmarks()).isEqualTo(68);
        assertThat(m.lmkBary()).hasSize(68 * 3);
    }

    @Test
    void isAnAdultSizedBust() {
        double[] min = {1e9, 1e9, 1e9};
        double[] max = {-1e9, -1e9, -1e9};
        double headMinX = 1e9;
        double headMaxX = -1e9;
        for (int i = 0; i < nv; i++) {
            for (int c = 0; c < 3; c++) {
                min[c] = Math.min(min[c], v[3 * i + c]);
                max[c] = Math.max(max[c], v[3 * i + c]);
            }
            // Skull width at the temples, above the ears.
            if (Math.abs(v[3 * i + 1] - 0.245) < 0.004) {
                headMinX = Math.min(headMinX, v[3 * i]);
                headMaxX = Math.max(headMaxX, v[3 * i]);
            }
        }
        assertThat(max[1] - min[1]).isBetween(0.45, 0.55);
        assertThat(max[0] - min[0]).as("shoulder width").isBetween(0.37, 0.44);
        assertThat(headMaxX - headMinX).as("head width").isBetween(0.14, 0.18);
        double chin = BuiltinFixture.landmark(8)[1];
        assertThat(max[1] - chin).as("crown to chin").isBetween(0.21, 0.25);
        assertThat(BuiltinFixture.joint(Joints.NECK)[1]).isCloseTo(0.0, within(0.02));
    }

    @Test
    void allValuesAreFinite() {
        for (float[] a : List.of(v, m.shapedirs(), m.jRegressor(), m.weights(), m.lmkBary(), m.uvs())) {
            for (float x : a) {
                assertThat(Float.isFinite(x)).isTrue();
            }
        }
    }

    @Test
    void facesAreConsistentlyOrientedAndManifold() {
        Set<Long> directed = new HashSet<>();
        int[] f = m.faces();
        for (int t = 0; t < f.length / 3; t++) {
            for (int e = 0; e < 3; e++) {
                int a = f[3 * t + e];
                int b = f[3 * t + (e + 1) % 3];
                assertThat(directed.add(key(a, b))).as("directed edge %d->%d used once", a, b).isTrue();
            }
        }
        int boundaryEdges = 0;
        for (long k : directed) {
            if (!directed.contains(key((int) (k % nv), (int) (k / nv)))) {
                boundaryEdges++;
            }
        }
        assertThat(boundaryEdges).isPositive();
    }

    @Test
    void facesAreNotDegenerate() {
        int[] f = m.faces();
        for (int t = 0; t < f.length / 3; t++) {
            int a = f[3 * t], b = f[3 * t + 1], c = f[3 * t + 2];
            assertThat(a != b && b != c && a != c).isTrue();
            assertThat(area(v, a, b, c)).as("face %d", t).isGreaterThan(1e-10);
        }
    }

    @Test
    void surfaceIsOneConnectedComponent() {
        Map<Integer, List<Integer>> adj = new HashMap<>();
        int[] f = m.faces();
        for (int t = 0; t < f.length / 3; t++) {
            for (int e = 0; e < 3; e++) {
                adj.computeIfAbsent(f[3 * t + e], k -> new java.util.ArrayList<>()).add(f[3 * t + (e + 1) % 3]);
                adj.computeIfAbsent(f[3 * t + (e + 1) % 3], k -> new java.util.ArrayList<>()).add(f[3 * t + e]);
            }
        }
        boolean[] seen = new boolean[nv];
        ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(0));
        seen[0] = true;
        int count = 1;
        while (!queue.isEmpty()) {
            for (int u : adj.getOrDefault(queue.poll(), List.of())) {
                if (!seen[u]) {
                    seen[u] = true;
                    count++;
                    queue.add(u);
                }
            }
        }
        assertThat(count).isEqualTo(nv);
    }

    @Test
    void onlyBoundaryIsOneLoopAtTheBottomCut() {
        Map<Integer, Integer> next = boundary();
        assertThat(next).isNotEmpty();
        // Every boundary vertex has exactly one outgoing boundary edge; following them visits all in one loop.
        int start = next.keySet().iterator().next();
        int steps = 0;
        int cur = start;
        do {
            cur = next.get(cur);
            steps++;
        } while (cur != start && steps <= next.size());
        assertThat(steps).isEqualTo(next.size());
        double minY = minY();
        for (int b : next.keySet()) {
            assertThat(v[3 * b + 1] - minY).isLessThan(0.003);
        }
    }

    @Test
    void normalsPointOutwards() {
        Map<Integer, Integer> next = boundary();
        double[] c = new double[3];
        for (int b : next.keySet()) {
            for (int k = 0; k < 3; k++) {
                c[k] += v[3 * b + k] / next.size();
            }
        }
        int[] f = m.faces();
        double volume = 0;
        for (int t = 0; t < f.length / 3; t++) {
            volume += signedVolume(point(f[3 * t]), point(f[3 * t + 1]), point(f[3 * t + 2]));
        }
        // Close the bottom cut with a fan to the boundary centroid; the cap runs against the boundary edges.
        for (Map.Entry<Integer, Integer> e : next.entrySet()) {
            volume += signedVolume(point(e.getValue()), point(e.getKey()), c);
        }
        assertThat(volume).isGreaterThan(0.01);
        // Normals point away from the centre near the crown, the nose tip and the back of the head.
        double[] crownNormal = vertexNormal(argMax(1));
        assertThat(crownNormal[1]).isGreaterThan(0.9);
        double[] noseNormal = vertexNormal(argMax(2));
        assertThat(noseNormal[2]).isGreaterThan(0.5);
    }

    @Test
    void uvsAreInTheUnitSquareAndNotDegenerate() {
        float[] uv = m.uvs();
        int vt = uv.length / 2;
        assertThat(vt).isGreaterThanOrEqualTo(nv);
        for (float x : uv) {
            assertThat(x).isBetween(0f, 1f);
        }
        int[] uf = m.uvFaces();
        assertThat(uf).hasSameSizeAs(m.faces());
        for (int t = 0; t < uf.length / 3; t++) {
            int a = uf[3 * t], b = uf[3 * t + 1], c = uf[3 * t + 2];
            assertThat(a).isBetween(0, vt - 1);
            assertThat(b).isBetween(0, vt - 1);
            assertThat(c).isBetween(0, vt - 1);
            double cross = (uv[2 * b] - uv[2 * a]) * (uv[2 * c + 1] - uv[2 * a + 1])
                    - (uv[2 * b + 1] - uv[2 * a + 1]) * (uv[2 * c] - uv[2 * a]);
            // Counter-clockwise in UV space too: no face flips across the seam.
            assertThat(cross).as("uv face %d", t).isGreaterThan(1e-9);
        }
    }

    @Test
    void generationIsDeterministic() {
        HeadModel again = BuiltinHead.generate();
        // Arrays.equals, not AssertJ's containsExactly: its diff is quadratic on arrays this size.
        assertThat(java.util.Arrays.equals(again.vTemplate(), m.vTemplate())).isTrue();
        assertThat(java.util.Arrays.equals(again.faces(), m.faces())).isTrue();
        assertThat(java.util.Arrays.equals(again.shapedirs(), m.shapedirs())).isTrue();
        assertThat(java.util.Arrays.equals(again.jRegressor(), m.jRegressor())).isTrue();
        assertThat(java.util.Arrays.equals(again.weights(), m.weights())).isTrue();
        assertThat(java.util.Arrays.equals(again.lmkFaces(), m.lmkFaces())).isTrue();
        assertThat(java.util.Arrays.equals(again.lmkBary(), m.lmkBary())).isTrue();
        assertThat(java.util.Arrays.equals(again.regions(), m.regions())).isTrue();
        assertThat(java.util.Arrays.equals(again.uvs(), m.uvs())).isTrue();
        assertThat(again.expressionNames()).isEqualTo(m.expressionNames());
    }

    @Test
    void meshIsLeftRightSymmetric() {
        int[] mirror = MeshMirror.of(v);
        for (int i = 0; i < nv; i++) {
            int j = mirror[i];
            assertThat(v[3 * j]).isCloseTo(-v[3 * i], within(1e-5f));
            assertThat(v[3 * j + 1]).isCloseTo(v[3 * i + 1], within(1e-5f));
            assertThat(v[3 * j + 2]).isCloseTo(v[3 * i + 2], within(1e-5f));
        }
    }

    // ---- helpers shared with the rig tests through HeadFixture would be heavier; kept local and small ----

    private static Map<Integer, Integer> boundary() {
        Set<Long> directed = new HashSet<>();
        int[] f = m.faces();
        for (int t = 0; t < f.length / 3; t++) {
            for (int e = 0; e < 3; e++) {
                directed.add(key(f[3 * t + e], f[3 * t + (e + 1) % 3]));
            }
        }
        Map<Integer, Integer> next = new HashMap<>();
        for (long k : directed) {
            int a = (int) (k / nv);
            int b = (int) (k % nv);
            if (!directed.contains(key(b, a))) {
                assertThat(next.put(a, b)).as("one boundary edge leaves %d", a).isNull();
            }
        }
        return next;
    }

    private static long key(int a, int b) {
        return (long) a * nv + b;
    }

    private static double minY() {
        double min = 1e9;
        for (int i = 0; i < nv; i++) {
            min = Math.min(min, v[3 * i + 1]);
        }
        return min;
    }

    private static int argMax(int c) {
        int best = 0;
        for (int i = 0; i < nv; i++) {
            if (v[3 * i + c] > v[3 * best + c]) {
                best = i;
            }
        }
        return best;
    }

    private static double[] vertexNormal(int vi) {
        double[] n = new double[3];
        int[] f = m.faces();
        for (int t = 0; t < f.length / 3; t++) {
            int a = f[3 * t], b = f[3 * t + 1], c = f[3 * t + 2];
            if (a == vi || b == vi || c == vi) {
                double[] x = cross(sub(point(b), point(a)), sub(point(c), point(a)));
                for (int k = 0; k < 3; k++) {
                    n[k] += x[k];
                }
            }
        }
        double len = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        return new double[] {n[0] / len, n[1] / len, n[2] / len};
    }

    private static double[] point(int i) {
        return new double[] {v[3 * i], v[3 * i + 1], v[3 * i + 2]};
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double signedVolume(double[] a, double[] b, double[] c) {
        double[] x = cross(b, c);
        return (a[0] * x[0] + a[1] * x[1] + a[2] * x[2]) / 6;
    }

    static double area(float[] p, int a, int b, int c) {
        double[] u = {p[3 * b] - p[3 * a], p[3 * b + 1] - p[3 * a + 1], p[3 * b + 2] - p[3 * a + 2]};
        double[] w = {p[3 * c] - p[3 * a], p[3 * c + 1] - p[3 * a + 1], p[3 * c + 2] - p[3 * a + 2]};
        double[] x = cross(u, w);
        return 0.5 * Math.sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
    }
}
