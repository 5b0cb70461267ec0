package dev.expportrait.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClipTruthTest {
    /** 3 frames; S = 2, E = 2, J = 1, Vd = 2, Nf = 1, L = 1; every per-frame value is 10 t + its index in the frame. */
    static ClipTruth numbered() {
        return new ClipTruth(new float[] {7, 8}, perFrame(3, 2), perFrame(3, 3), perFrame(3, 3), new float[] {1, 2, 3, 4, 5, 6},
                new int[] {1}, perFrame(3, 3), perFrame(3, 2));
    }

    static float[] perFrame(int frames, int per) {
        float[] a = new float[frames * per];
        for (int t = 0; t < frames; t++) for (int i = 0; i < per; i++) a[t * per + i] = 10 * t + i;
        return a;
    }

    @Test
    void framesSliceEveryPerFrameFieldAndKeepTheStaticOnes() {
        ClipTruth all = numbered(), tail = all.frames(1, 2);
        assertThat(tail.frames()).isEqualTo(2);
        assertThat(tail.expression()).containsExactly(10, 11, 20, 21);
        assertThat(tail.pose()).containsExactly(10, 11, 12, 20, 21, 22);
        assertThat(tail.translation()).containsExactly(10, 11, 12, 20, 21, 22);
        assertThat(tail.expressionOffsets()).containsExactly(10, 11, 12, 20, 21, 22);
        assertThat(tail.landmarks()).containsExactly(10, 11, 20, 21);
        assertThat(tail.betas()).isSameAs(all.betas());
        assertThat(tail.identityOffsets()).isSameAs(all.identityOffsets());
        assertThat(tail.faceVertices()).isSameAs(all.faceVertices());
        assertThat(all.frames(2, 1).translation()).containsExactly(20, 21, 22);
    }

    @Test
    void framesOutsideTheClipAreRefused() {
        ClipTruth all = numbered();
        assertThatThrownBy(() -> all.frames(2, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> all.frames(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> all.frames(0, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
