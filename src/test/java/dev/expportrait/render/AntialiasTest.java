package dev.expportrait.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class AntialiasTest {
    private static final Intrinsics K = new Intrinsics(40, 40, 15.5, 15.5, 32, 32);
    private static final double Z = 2;
    private static final int[] QUAD = {0, 1, 2, 0, 2, 3};
    private static final EdgeTopology TOPOLOGY = EdgeTopology.of(QUAD);

    /** A square at depth Z spanning pixels [x0, x1] x [y0, y1] on screen, as camera-space [4, 3]. */
    private static double[] square(double x0, double y0, double x1, double y1) {
        double[][] px = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
        double[] v = new double[12];
        for (int i = 0; i < 4; i++) {
            v[3 * i] = (px[i][0] - K.cx()) * Z / K.fx();
            v[3 * i + 1] = (px[i][1] - K.cy()) * Z / K.fy();
            v[3 * i + 2] = Z;
        }
        return v;
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** Antialiased coverage mask [1, H, W, 1] of the square, over an empty background. */
    private static Tensor mask(Tensor positions, RasterBuffers raster) {
        Fragments fr = Interpolate.fragments(List.of(raster), positions, QUAD, K);
        Tensor ones = Tensors.doubles(new double[] {1, 1, 1, 1}, 4, 1);
        return Antialias.antialias(Interpolate.interpolate(fr, ones), List.of(raster), positions, TOPOLOGY, K);
    }

    private static RasterBuffers raster(double[] v) {
        return Rasterizer.rasterize(floats(v), QUAD, K, RasterOptions.DEFAULT);
    }

    @Test
    void outlinePixelsGetTheCoveredFractionAndTheSharedDiagonalIsLeftAlone() {
        double[] v = square(8.3, 9.2, 20.3, 21.2);
        double[] m = Tensors.toDoubles(mask(Tensors.doubles(v, 1, 4, 3), raster(v)));
        int row = 15 * 32;
        // Left edge at 8.3: pixel 8's box [7.5, 8.5] is 0.2 covered; right edge at 20.3: pixel 20 is 0.8.
        assertThat(m[row + 8]).isCloseTo(0.2, within(1e-5));
        assertThat(m[row + 9]).isCloseTo(1, within(1e-9));
        assertThat(m[row + 20]).isCloseTo(0.8, within(1e-5));
        assertThat(m[row + 21]).isCloseTo(0, within(1e-9));
        // Top edge at 9.2: the empty row 9 gets 0.3; bottom edge at 21.2: the covered row 21 keeps 0.7.
        assertThat(m[9 * 32 + 14]).isCloseTo(0.3, within(1e-5));
        assertThat(m[21 * 32 + 14]).isCloseTo(0.7, within(1e-5));
        // Over any image, only pixels next to the outline change: not those along the shared diagonal.
        double[] noise = new double[32 * 32];
        java.util.Random rnd = new java.util.Random(1);
        java.util.Arrays.setAll(noise, i -> rnd.nextDouble());
        Tensor pos = Tensors.doubles(v, 1, 4, 3);
        double[] out = Tensors.toDoubles(Antialias.antialias(Tensors.doubles(noise, 1, 32, 32, 1), List.of(raster(v)), pos, TOPOLOGY, K));
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                boolean outline = (x == 8 || x == 9 || x == 20 || x == 21) && y >= 10 && y <= 21
                        || (y == 9 || y == 10 || y == 21 || y == 22) && x >= 9 && x <= 20;
                if (!outline) {
                    assertThat(out[y * 32 + x]).as("pixel %d,%d", x, y).isEqualTo(noise[y * 32 + x]);
                }
            }
        }
        assertThat(out[row + 8]).isNotEqualTo(noise[row + 8]);
    }

    @Test
    void maskLossGradientsMoveTheOutlineTowardsTheTarget() {
        double[] v = square(8.3, 9.2, 20.3, 21.2);
        double[] targetV = square(9.8, 9.2, 21.8, 21.2);
        Tensor target = mask(Tensors.doubles(targetV, 1, 4, 3), raster(targetV));
        double[] first = null;
        double firstLoss = 0, loss = 0;
        for (int step = 0; step < 8; step++) {
            Tensor pos = Tensors.doubles(v, 1, 4, 3);
            pos.set_requires_grad(true);
            Tensor diff = mask(pos, raster(v)).sub(target);
            Tensor l = diff.mul(diff).sum();
            l.backward();
            loss = l.item_double();
            double[] g = Tensors.toDoubles(pos.grad());
            if (step == 0) {
                first = g;
                firstLoss = loss;
            }
            // Normalised steps of at most 0.25 px keep the descent stable at any gradient scale.
            double max = 0;
            for (double gi : g) {
                max = Math.max(max, Math.abs(gi));
            }
            for (int i = 0; i < v.length; i++) {
                v[i] -= 0.25 * (Z / K.fx()) * g[i] / max;
            }
        }
        for (int i = 0; i < 4; i++) {
            assertThat(first[3 * i]).as("d loss / d x of vertex %d", i).isNegative();
        }
        double meanX = (v[0] + v[3] + v[6] + v[9]) / 4 * K.fx() / Z + K.cx();
        assertThat(meanX).as("mean x, pixels").isGreaterThan(14.3 + 0.75);
        assertThat(loss).isLessThan(0.5 * firstLoss);
    }

    @Test
    void positionGradientsMatchFiniteDifferencesWhileNoPixelChangesTriangle() {
        double[] v = square(8.3, 9.2, 20.6, 21.4);
        v[7] += 0.3; // tilt the square so the gradient sees depth as well
        RasterBuffers raster = raster(v);
        double[] weights = new double[32 * 32];
        java.util.Random rnd = new java.util.Random(3);
        java.util.Arrays.setAll(weights, i -> rnd.nextGaussian());
        Tensor w = Tensors.doubles(weights, 1, 32, 32, 1);
        Tensor pos = Tensors.doubles(v, 1, 4, 3);
        pos.set_requires_grad(true);
        mask(pos, raster).mul(w).sum().backward();
        double[] g = Tensors.toDoubles(pos.grad());
        double h = 1e-7;
        for (int i = 0; i < v.length; i++) {
            double[] plus = v.clone(), minus = v.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (mask(Tensors.doubles(plus, 1, 4, 3), raster).mul(w).sum().item_double()
                    - mask(Tensors.doubles(minus, 1, 4, 3), raster).mul(w).sum().item_double()) / (2 * h);
            assertThat(g[i]).as("coordinate %d", i).isCloseTo(fd, within(1e-5 * (1 + Math.abs(fd))));
        }
    }

    @Test
    void edgeTopologyPairsFacesAcrossSharedEdgesOnly() {
        // Two triangles sharing edge 0-2 plus a third on 0-2: non-manifold, so all three see a boundary there.
        assertThat(EdgeTopology.of(QUAD).across()).containsExactly(-1, -1, 1, 0, -1, -1);
        int[] fin = {0, 1, 2, 0, 2, 3, 2, 0, 4};
        assertThat(EdgeTopology.of(fin).across()).containsExactly(-1, -1, -1, -1, -1, -1, -1, -1, -1);
    }

    @Test
    void anOcclusionBoundaryBlendsTheNearSurfaceOverTheFarOne() {
        // The square of the other tests in front of a larger one at twice the depth; colour 1 front, 0 back.
        double[] front = square(8.3, 9.2, 20.3, 21.2);
        double[] back = square(2, 2, 29, 29);
        double[] v = new double[24];
        System.arraycopy(front, 0, v, 0, 12);
        for (int i = 0; i < 12; i++) {
            v[12 + i] = back[i] * 2;
        }
        int[] faces = {0, 1, 2, 0, 2, 3, 4, 5, 6, 4, 6, 7};
        RasterBuffers raster = Rasterizer.rasterize(floats(v), faces, K, RasterOptions.DEFAULT);
        Tensor pos = Tensors.doubles(v, 1, 8, 3);
        Tensor colour = Tensors.doubles(new double[] {1, 1, 1, 1, 0, 0, 0, 0}, 8, 1);
        Tensor image = Interpolate.interpolate(Interpolate.fragments(List.of(raster), pos, faces, K), colour);
        double[] m = Tensors.toDoubles(Antialias.antialias(image, List.of(raster), pos, EdgeTopology.of(faces), K));
        int row = 15 * 32;
        assertThat(raster.triangle()[row + 8]).isGreaterThanOrEqualTo(2);
        assertThat(m[row + 8]).isCloseTo(0.2, within(1e-5));
        assertThat(m[row + 20]).isCloseTo(0.8, within(1e-5));
    }
}
