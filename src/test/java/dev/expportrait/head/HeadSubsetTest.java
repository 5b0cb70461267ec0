package dev.expportrait.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expportrait.io.InputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadSubsetTest {
    /** A 25-joint model whose vertices are one-hot skinned to chosen joints at chosen heights. */
    private static HeadModel model(int[] joint, float[] y, float[] x) {
        int v = joint.length;
        HeadModel base = TinyModels.random(21, v, 25, 2, 2, false);
        float[] weights = new float[v * 25];
        float[] vt = new float[v * 3];
        for (int i = 0; i < v; i++) {
            weights[i * 25 + joint[i]] = 1;
            vt[i * 3] = x[i];
            vt[i * 3 + 1] = y[i];
        }
        // Every joint regresses to vertex 0, which sits at the neck height y = 0.
        float[] reg = new float[25 * v];
        for (int j = 0; j < 25; j++) reg[j * v] = 1;
        return new HeadModel("synthetic", vt, base.faces(), base.shapedirs(), 2, 2, new float[0], reg, weights,
                Joints.SMPLX_BODY_PARENTS.clone(), new int[0], new float[0], Joints.SMPLX_NAMES.subList(0, 25),
                base.shapeNames(), base.expressionNames(), null, null, null, null);
    }

    @Test
    void keepsHeadJointsAndUpperBodyNearTheNeckOnly() {
        int[] joint = {Joints.NECK, Joints.HEAD, Joints.JAW, Joints.LEFT_EYE, Joints.SPINE3, Joints.SPINE3,
            Joints.LEFT_SHOULDER, Joints.LEFT_SHOULDER, 4 /* knee */, Joints.HEAD, Joints.SPINE3, Joints.HEAD};
        float[] y = {0, .1f, .05f, .1f, -.1f, -.5f, -.05f, -.05f, -.02f, .12f, -.2f, .15f};
        float[] x = {0, 0, 0, .03f, 0, 0, .15f, .6f, 0, 0, 0, .02f};
        HeadModel m = model(joint, y, x);
        boolean[] expected = new boolean[joint.length];
        HeadSubset.Rule rule = HeadSubset.Rule.DEFAULT;
        for (int i = 0; i < joint.length; i++) {
            boolean head = joint[i] == Joints.NECK || joint[i] == Joints.HEAD || joint[i] == Joints.JAW || joint[i] == Joints.LEFT_EYE;
            boolean upper = joint[i] == Joints.SPINE3 || joint[i] == Joints.LEFT_SHOULDER;
            expected[i] = head || (upper && y[i] >= -rule.belowNeck() && Math.abs(x[i]) <= rule.halfWidth());
        }
        HeadSubset s = HeadSubset.select(m);
        // Brute force: faces with all three vertices expected, and exactly their vertices.
        List<Integer> faces = new ArrayList<>();
        boolean[] used = new boolean[joint.length];
        for (int f = 0; f < m.numFaces(); f++) {
            int a = m.faces()[f * 3], b = m.faces()[f * 3 + 1], c = m.faces()[f * 3 + 2];
            if (expected[a] && expected[b] && expected[c]) {
                faces.add(f);
                used[a] = used[b] = used[c] = true;
            }
        }
        assertThat(s.faceIds()).containsExactly(faces.stream().mapToInt(Integer::intValue).toArray());
        assertThat(faces).isNotEmpty().hasSizeLessThan(m.numFaces());
        for (int i = 0; i < s.numVertices(); i++) assertThat(used[s.vertexIds()[i]]).isTrue();
        int usedCount = 0;
        for (boolean u : used) usedCount += u ? 1 : 0;
        assertThat(s.numVertices()).isEqualTo(usedCount);
        // Re-indexed faces name the same vertices in the same order.
        for (int k = 0; k < s.numFaces(); k++) {
            for (int c = 0; c < 3; c++) {
                assertThat(s.vertexIds()[s.faces()[k * 3 + c]]).isEqualTo(m.faces()[s.faceIds()[k] * 3 + c]);
            }
        }
        assertThat(s.subsetFace(faces.get(0))).isZero();
    }

    @Test
    void aModelWithoutHeadJointsIsRefused() {
        HeadModel tiny = TinyModels.random(1, 8, 5, 1, 1, false);
        assertThatThrownBy(() -> HeadSubset.select(tiny)).isInstanceOf(InputException.class).hasMessageContaining("joints");
    }
}
