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
}
