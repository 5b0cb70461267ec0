package dev.expportrait.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import org.junit.jupiter.api.Test;

class PinholeCameraTest {
    @Test
    void aFacingCameraSeesTheTargetAtTheCentreAndTheSubjectsLeftOnTheRight() {
        PinholeCamera cam = PinholeCamera.facing(new double[] {0, 0.1, 0}, 1.0, 30, 256, 200);
        double f = 100 / Math.tan(Math.toRadians(15));
        double[] px = Tensors.toDoubles(cam.project(Tensors.doubles(new double[] {0, 0.1, 0, 0.05, 0.1, 0, 0, 0.2, 0.5}, 3, 3)));
        assertThat(px[0]).isCloseTo(128, within(1e-9));
        assertThat(px[1]).isCloseTo(100, within(1e-9));
        // +x (subject's left) lands right of centre by f * 0.05 / 1.
        assertThat(px[2]).isCloseTo(128 + f * 0.05, within(1e-9));
        // Up (+y) is up in the image (smaller row), and closer points (z = 0.5) magnify: f * 0.1 / 0.5.
        assertThat(px[5]).isCloseTo(100 - f * 0.1 / 0.5, within(1e-9));
        double[] cam3 = Tensors.toDoubles(cam.toCamera(Tensors.doubles(new double[] {0, 0.1, 0}, 1, 3)));
        assertThat(cam3).containsExactly(new double[] {0, 0, 1}, within(1e-12));
    }
}
