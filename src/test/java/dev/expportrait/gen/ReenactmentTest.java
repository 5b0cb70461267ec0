package dev.expportrait.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expportrait.io.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReenactmentTest {
    @Test
    void aLongVideoIsCutIntoTheModelsWindowsTheLastRoundedUpToOnePlusFourK() {
        List<int[]> w = Reenactment.windows(23, 9);
        assertThat(w).hasSize(3);
        assertThat(w.get(0)).containsExactly(0, 9, 9);
        assertThat(w.get(1)).containsExactly(9, 18, 9);
        assertThat(w.get(2)).containsExactly(18, 23, 5); // 5 frames are 1 + 4k already
        assertThat(Reenactment.windows(20, 9).get(2)).containsExactly(18, 20, 5); // 2 frames, sampled as 5
        assertThat(Reenactment.windows(10, 9).get(1)).containsExactly(9, 10, 1);
        assertThat(Reenactment.windows(9, 9)).hasSize(1);
        assertThat(Reenactment.windows(1, 9).get(0)).containsExactly(0, 1, 1);
        assertThat(Reenactment.windows(7, 9).get(0)).containsExactly(0, 7, 9);
        assertThatThrownBy(() -> Reenactment.windows(0, 9)).isInstanceOf(InputException.class);
    }

    @Test
    void movedPsnrScoresOnlyThePixelsWhereTheTruthLeftTheReference() {
        int w = 12, h = 12, px = w * h;
        byte[] reference = new byte[px * 3], truth = new byte[px * 3], frame = new byte[px * 3];
        java.util.Arrays.fill(reference, (byte) 50);
        for (int p = 0; p < px; p++) {
            boolean moved = p % w < 6; // the left half moved
            for (int c = 0; c < 3; c++) {
                truth[p * 3 + c] = (byte) (moved ? 100 : 50);
                frame[p * 3 + c] = (byte) (moved ? 110 : 90); // off by 10 where it moved, by 40 where it did not
            }
        }
        Reenactment.Metrics m = Reenactment.Metrics.of(List.of(frame, frame), List.of(truth, truth), reference, w, h);
        assertThat(m.movedPsnr()).isCloseTo(10 * Math.log10(255.0 * 255 / 100), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(m.psnr()).isCloseTo(10 * Math.log10(255.0 * 255 / ((100 + 1600) / 2.0)), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(Reenactment.Metrics.of(List.of(reference), List.of(reference), reference, w, h).movedPsnr()).isNaN(); // nothing moved
    }
}
