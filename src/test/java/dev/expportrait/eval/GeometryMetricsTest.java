package dev.expportrait.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GeometryMetricsTest {
    @Test
    void vertexErrorAfterAligningMeansIgnoresAPerFrameShift() {
        float[] b = {0, 0, 0, 1, 0, 0, 0, 1, 0, /* frame 2 */ 0, 0, 1, 1, 0, 1, 0, 1, 1};
        float[] a = b.clone();
        for (int i = 0; i < 9; i++) a[i] += i % 3 == 2 ? 0.5f : 0;      // frame 0 shifted in z
        for (int i = 9; i < 18; i++) a[i] += i % 3 == 0 ? -0.2f : 0;    // frame 1 shifted in x
        int[] all = {0, 1, 2};
        assertThat(GeometryMetrics.meanVertexError(a, b, 3, all)).isCloseTo(0.35, within(1e-6));
        assertThat(GeometryMetrics.meanVertexError(GeometryMetrics.alignMeans(a, b, 3, all), b, 3, all)).isCloseTo(0, within(1e-6));
        assertThat(GeometryMetrics.meanVertexError(a, b, 3, new int[] {1})).isCloseTo(0.35, within(1e-6));
    }

    @Test
    void normalAnglesMedianCorrelationAndNorms() {
        float[] n1 = {0, 0, 1, 0, 0, 1};
        float[] n2 = {0, (float) Math.sin(0.1), (float) Math.cos(0.1), 0, 0, 1};
        double[] angles = GeometryMetrics.normalAngles(n1, n2, 2, new int[] {0, 1});
        assertThat(angles[0]).isCloseTo(Math.toDegrees(0.1), within(1e-4));
        assertThat(angles[1]).isCloseTo(0, within(1e-4));
        assertThat(GeometryMetrics.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(GeometryMetrics.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
        float[] f = {1, 2, 3, 4, 5, 6};
        float[] g = {2, 4, 6, 8, 10, 12};
        float[] h = {-1, -2, -3, -4, -5, -6};
        assertThat(GeometryMetrics.correlation(f, g, new int[] {0, 1})).isCloseTo(1, within(1e-9));
        assertThat(GeometryMetrics.correlation(f, h, new int[] {0, 1})).isCloseTo(-1, within(1e-9));
        assertThat(GeometryMetrics.norm(new float[] {3, 4})).isCloseTo(5, within(1e-9));
        assertThat(GeometryMetrics.meanPointDistance(new float[] {0, 0, 1, 1}, new float[] {3, 4, 1, 1})).isCloseTo(2.5, within(1e-9));
    }
}
