package dev.expportrait.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.head.Lbs;
import dev.expportrait.head.PinholeCamera;
import dev.expportrait.head.builtin.BuiltinHead;
import dev.expportrait.io.InputException;
import dev.expportrait.tensor.Tensors;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

class PersonalHeadTest {
    static final HeadModel MODEL = BuiltinHead.generate(); // not HeadModels.builtin(): tests leave ~/.cache alone
    static final DenseHead HEAD = new DenseHead(MODEL, HeadSubset.select(MODEL), 0, ScalarType.Float);

    /** A random head of {@code frames} frames on {@link #HEAD}: small offsets, mild poses, every other vertex in the face. */
    static PersonalHead random(String model, int frames, long seed) {
        Random r = new Random(seed);
        int s = MODEL.numShape(), e = MODEL.numExpression(), j = MODEL.numJoints(), vd = HEAD.numVertices();
        int[] face = new int[vd / 2];
        for (int i = 0; i < face.length; i++) face[i] = 2 * i + 1;
        Map<String, Double> losses = new LinkedHashMap<>();
        losses.put("landmark", r.nextDouble());
        losses.put("normal", 1e-7 * r.nextDouble());
        losses.put("diverged", Double.NaN);
        float[] k = new float[frames * 4];
        for (int t = 0; t < frames; t++) {
            k[t * 4] = k[t * 4 + 1] = 300 + t;
            k[t * 4 + 2] = k[t * 4 + 3] = 63.5f;
        }
        return new PersonalHead(model, 0, 25, "clips/a", 128, 128, s, e, j, gauss(r, s, 1), gauss(r, frames * e, 0.5),
                gauss(r, frames * j * 3, 0.1), gauss(r, frames * 3, 0.01), k, new double[] {1, 0, 0, 0, -1, 0, 0, 0, -1},
                new double[] {0, 0.1, 0.6}, gauss(r, vd * 3, 0.003), face, gauss(r, frames * face.length * 3, 0.002), losses);
    }

    static float[] gauss(Random r, int n, double sigma) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (sigma * r.nextGaussian());
        return a;
    }

    @Test
    void expressionOffsetsAreScatteredOntoTheFaceVerticesOnly() {
        PersonalHead h = random(MODEL.name(), 3, 1);
        float[] dense = Tensors.toFloats(h.expressionOffsetsDense(1, 2));
        int vd = h.denseVertices(), nf = h.numFaceVertices();
        assertThat(dense).hasSize(2 * vd * 3);
        for (int f = 0; f < 2; f++) {
            for (int i = 0; i < nf; i++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(dense[(f * vd + h.faceVertices()[i]) * 3 + c]).isEqualTo(h.expressionOffsets()[((1 + f) * nf + i) * 3 + c]);
                }
            }
            for (int v = 0; v < vd; v += 2) { // even vertices are not in the face
                assertThat(dense[(f * vd + v) * 3]).isZero();
            }
        }
    }

    @Test
    void posingRebuildsTheDenseMeshOfTheRequestedFrames() {
        PersonalHead h = random(MODEL.name(), 3, 2);
        Lbs.Posed posed = h.pose(HEAD, 1, 2);
        int s = h.numShape(), e = h.numExpression(), j = h.numJoints(), vd = h.denseVertices();
        float[] betas = new float[2 * s];
        System.arraycopy(h.betas(), 0, betas, 0, s);
        System.arraycopy(h.betas(), 0, betas, s, s);
        Tensor expected = HEAD.pose(Tensors.floats(betas, 2, s),
                Tensors.floats(Arrays.copyOfRange(h.expression(), e, 3 * e), 2, e),
                Tensors.floats(Arrays.copyOfRange(h.pose(), j * 3, 3 * j * 3), 2, j, 3),
                Tensors.floats(Arrays.copyOfRange(h.translation(), 3, 9), 2, 3),
                Tensors.floats(h.identityOffsets(), vd, 3), h.expressionOffsetsDense(1, 2)).vertices();
        assertThat(Arrays.equals(Tensors.toFloats(posed.vertices()), Tensors.toFloats(expected))).isTrue();
        // The frame's own pose matters: frame 0 differs.
        assertThat(Arrays.equals(Tensors.toFloats(h.pose(HEAD, 0, 1).vertices()), Arrays.copyOfRange(Tensors.toFloats(expected), 0, vd * 3))).isFalse();
    }

    @Test
    void aHeadOfAnotherModelIsRefused() {
        PersonalHead h = random("someone-else", 2, 3);
        assertThatThrownBy(() -> h.pose(HEAD, 0, 1)).isInstanceOf(InputException.class)
                .hasMessageContaining("someone-else").hasMessageContaining(MODEL.name());
    }

    @Test
    void theCameraOfAFrameUsesItsIntrinsicsAndTheImageSize() {
        PersonalHead h = random(MODEL.name(), 2, 4);
        PinholeCamera cam = h.camera(1);
        assertThat(cam.fx()).isEqualTo(301);
        assertThat(cam.width()).isEqualTo(128);
        assertThat(cam.height()).isEqualTo(128);
        assertThat(Arrays.equals(cam.translation(), h.cameraTranslation())).isTrue();
        assertThat(h.camera(0, 64, 32).height()).isEqualTo(32);
    }

    @Test
    void arraysOfTheWrongLengthAreRefused() {
        PersonalHead h = random(MODEL.name(), 2, 5);
        assertThatThrownBy(() -> new PersonalHead(h.model(), 0, 25, "x", 128, 128, h.numShape(), h.numExpression(), h.numJoints(),
                h.betas(), h.expression(), h.pose(), h.translation(), h.intrinsics(), h.rotation(), h.cameraTranslation(),
                h.identityOffsets(), h.faceVertices(), new float[7], h.losses()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expressionOffsets");
        assertThatThrownBy(() -> new PersonalHead(h.model(), 0, 25, "x", 128, 128, h.numShape(), h.numExpression(), h.numJoints(),
                h.betas(), h.expression(), h.pose(), h.translation(), h.intrinsics(), h.rotation(), h.cameraTranslation(),
                h.identityOffsets(), new int[] {h.denseVertices()}, new float[2 * 3], h.losses()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("faceVertices");
    }
}
