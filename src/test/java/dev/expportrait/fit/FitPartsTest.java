package dev.expportrait.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.head.PinholeCamera;
import dev.expportrait.io.InputException;
import dev.expportrait.tensor.Tensors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fit's building blocks against independent references: brute force, closed forms, invariances. */
class FitPartsTest {
    private final Random r = new Random(5);

    private float[] randn(int n, double scale) {
        return randn(r, n, scale);
    }

    /** n Gaussian draws of standard deviation {@code scale} (shared with the other fit tests). */
    static float[] randn(java.util.Random r, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * scale);
        return x;
    }

    @Test
    void theLaplacianIsTheVertexMinusItsNeighboursMean() {
        // Two triangles sharing edge 1-2, plus a third on edge 2-3: degrees 2, 3, 4, 3, 2.
        int[] faces = {0, 1, 2, 1, 3, 2, 2, 3, 4};
        float[] x = randn(5 * 3, 1);
        int[][] nb = {{1, 2}, {0, 2, 3}, {0, 1, 3, 4}, {1, 2, 4}, {2, 3}};
        float[] got = Tensors.toFloats(Laplacian.of(faces, 5).apply(Tensors.floats(x, 5, 3)));
        for (int v = 0; v < 5; v++) {
            for (int c = 0; c < 3; c++) {
                double mean = 0;
                for (int u : nb[v]) mean += x[u * 3 + c] / nb[v].length;
                assertThat(got[v * 3 + c]).isCloseTo((float) (x[v * 3 + c] - mean), within(1e-5f));
            }
        }
        // Restricted to {1, 2}: the field is zero at 0, 3, 4, but vertex degrees stay those of the mesh.
        float[] y = randn(2 * 3, 1);
        float[] sub = Tensors.toFloats(Laplacian.restricted(faces, 5, new int[] {1, 2}).apply(Tensors.floats(y, 2, 3)));
        for (int c = 0; c < 3; c++) {
            assertThat(sub[c]).isCloseTo(y[c] - y[3 + c] / 3f, within(1e-5f));
            assertThat(sub[3 + c]).isCloseTo(y[3 + c] - y[c] / 4f, within(1e-5f));
        }
    }

    @Test
    void adamStepsOnlyTheRowsInTheBatchAndMatchesTheTextbookUpdate() {
        float[] p0 = randn(4 * 2, 1), g = randn(4 * 2, 1);
        Tensor p = Tensors.floats(p0, 4, 2).set_requires_grad(true);
        Adam adam = new Adam(p, 0.1);
        p.mul(Tensors.floats(g, 4, 2)).sum().backward(); // gradient g
        adam.step(new int[] {1, 3});
        float[] after = Tensors.toFloats(p);
        for (int row = 0; row < 4; row++) {
            for (int c = 0; c < 2; c++) {
                int i = row * 2 + c;
                // First Adam step: m = (1-b1) g, v = (1-b2) g^2, bias-corrected m/sqrt(v) = sign(g).
                double expected = row == 1 || row == 3 ? p0[i] - 0.1 * g[i] / (Math.abs(g[i]) + 1e-8) : p0[i];
                assertThat(after[i]).as("row %d", row).isCloseTo((float) expected, within(1e-5f));
            }
        }
    }

    @Test
    void fieldwiseAdamMovesEachEntryInProportionToItsGradient() {
        float[] g = {1f, 0.1f, 0f, -2f};
        Tensor p = torch.zeros(1, 4).set_requires_grad(true);
        Adam adam = new Adam(p, 0.1, true);
        p.mul(Tensors.floats(g, 1, 4)).sum().backward();
        adam.step();
        float[] after = Tensors.toFloats(p);
        double rms = Math.sqrt((1 + 0.01 + 0 + 4) / 4.0);
        for (int i = 0; i < 4; i++) assertThat(after[i]).isCloseTo((float) (-0.1 * g[i] / rms), within(1e-5f));
    }

    @Test
    void depthLossIgnoresTheTargetsScale() {
        float[] d = new float[2 * 3 * 3];
        for (int i = 0; i < d.length; i++) d[i] = 1 + 0.1f * r.nextFloat();
        Tensor rendered = Tensors.floats(d, 2, 3, 3, 1);
        Tensor valid = torch.ones(2, 3, 3, 1);
        float[] noisy = d.clone();
        for (int i = 0; i < noisy.length; i++) noisy[i] *= 1 + 0.02f * (float) r.nextGaussian();
        double loss = FitLosses.depth(rendered, Tensors.floats(noisy, 2, 3, 3, 1), valid).item_double();
        float[] scaled = noisy.clone();
        for (int i = 0; i < scaled.length; i++) scaled[i] *= i < 9 ? 0.7f : 1.6f; // a different scale per frame
        assertThat(FitLosses.depth(rendered, Tensors.floats(scaled, 2, 3, 3, 1), valid).item_double()).isCloseTo(loss, within(1e-6));
        assertThat(FitLosses.depth(rendered, rendered.mul(Tensors.scalar(3)), valid).item_double()).isCloseTo(0, within(1e-6));
        assertThat(loss).isGreaterThan(0.001);
    }

    @Test
    void magnitudeWeighsSlidingAlongTheSurfaceMore() {
        Tensor normals = Tensors.floats(new float[] {0, 0, 1, 0, 0, 1}, 2, 3);
        Tensor along = Tensors.floats(new float[] {0, 0, 0.002f, 0, 0, 0}, 2, 3);   // 2 mm off the surface
        Tensor across = Tensors.floats(new float[] {0.002f, 0, 0, 0, 0, 0}, 2, 3);  // 2 mm along it
        Tensor weights = Tensors.floats(new float[] {3, 1}, 2, 1);
        assertThat(FitLosses.magnitude(along, normals, 100, weights).item_double()).isCloseTo(3 * 4 / 2.0, within(1e-4));
        assertThat(FitLosses.magnitude(across, normals, 100, weights).item_double()).isCloseTo(100 * 3 * 4 / 2.0, within(1e-2));
        assertThat(FitLosses.magnitude(across, null, 100, null).item_double()).isCloseTo(4 / 2.0, within(1e-4));
    }

    @Test
    void theSilhouetteGapOfTwoConcentricDiscsIsAboutTheirRadiiDifference() {
        int w = 100, h = 100;
        boolean[] head = new boolean[w * h];
        float[] hair = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r = Math.hypot(x - 50, y - 50);
                head[y * w + x] = r <= 20;
                hair[y * w + x] = r <= 25 ? 1 : 0;
            }
        }
        // Upper half only: a 5 px ring; the digital outline is a little shorter than the circle, so a little more.
        assertThat(SilhouetteGap.meanGap(head, hair, w, h, 50)).isBetween(4.5, 6.5);
        float[] bald = new float[w * h];
        for (int p = 0; p < bald.length; p++) bald[p] = head[p] ? 1 : 0;
        assertThat(SilhouetteGap.meanGap(head, bald, w, h, 50)).isZero();
        assertThat(SilhouetteGap.meanGap(head, hair, w, h, 0)).isZero();
    }

    @Test
    void landmarkLossIsTheMeanDistanceInImageWidths() {
        Tensor a = Tensors.floats(new float[] {0, 0, 10, 10}, 1, 2, 2);
        Tensor b = Tensors.floats(new float[] {3, 4, 10, 10}, 1, 2, 2);
        // distances 5 px and 0 px over width 100: Charbonnier sqrt(d^2 + 1e-6) ~ (0.05 + 0.001) / 2
        assertThat(FitLosses.landmarks(a, b, 100).item_double()).isCloseTo((Math.sqrt(0.0025 + 1e-6) + 1e-3) / 2, within(1e-6));
    }

    @Test
    void secondDifferencesVanishOnLinearMotion() {
        float[] line = new float[5 * 2];
        for (int t = 0; t < 5; t++) {
            line[t * 2] = 0.3f * t;
            line[t * 2 + 1] = -1 + 2f * t;
        }
        assertThat(FitLosses.secondDifference(Tensors.floats(line, 5, 2)).item_double()).isCloseTo(0, within(1e-9));
        line[8] += 1; // frame 4, x: only the last second difference changes, by 1
        assertThat(FitLosses.secondDifference(Tensors.floats(line, 5, 2)).item_double()).isCloseTo(1.0 / 6, within(1e-5));
    }

    @Test
    void theRenderCameraWithEachFramesShiftProjectsLikeThatFramesCamera() {
        double[] rot = {1, 0, 0, 0, -1, 0, 0, 0, -1};
        double[] tr = {0.01, -0.02, 1.1};
        float[] k = {500, 510, 63.5f, 64.5f, 500, 510, 66.2f, 61.9f};
        FrameCameras cams = new FrameCameras(rot, tr, k, 128, 128, false);
        float[] pts = randn(2 * 6 * 3, 0.1);
        Tensor world = Tensors.floats(pts, 2, 6, 3);
        int[] frames = {1, 0};
        float[] direct = Tensors.toFloats(cams.project(world, frames));
        for (int scale : new int[] {1, 2}) {
            PinholeCamera base = cams.renderCamera(scale);
            float[] shift = cams.principalShifts(frames, scale);
            for (int b = 0; b < 2; b++) {
                PinholeCamera shifted = new PinholeCamera(base.fx(), base.fy(), base.cx() + shift[2 * b], base.cy() + shift[2 * b + 1],
                        base.width(), base.height(), rot, tr);
                float[] px = Tensors.toFloats(shifted.project(world.select(0, b)));
                for (int i = 0; i < px.length; i++) {
                    // pixel centres: u_scaled = (u + 0.5) / scale - 0.5
                    assertThat(px[i]).isCloseTo((direct[b * 12 + i] + 0.5f) / scale - 0.5f, within(1e-3f));
                }
            }
        }
        assertThat(cams.camera(1).cx()).isCloseTo(66.2, within(1e-4));
        float[] zoom = k.clone();
        zoom[4] = 600;
        assertThatThrownBy(() -> new FrameCameras(rot, tr, zoom, 128, 128, false)).isInstanceOf(InputException.class)
                .hasMessageContaining("frame 1");
    }

    @Test
    void configRoundTripsThroughJsonAndRefusesUnknownKeys(@TempDir Path dir) throws Exception {
        FitConfig c = new FitConfig(2, 9, FitConfig.with(FitConfig.DEFAULT_TRACKING, Map.of("iterations", 7, "clampExpression", false)),
                FitConfig.with(FitConfig.DEFAULT_DETAILS, Map.of("normals", 0.25, "disentangle", false)));
        Path file = dir.resolve("fit.json");
        c.write(file);
        assertThat(FitConfig.read(file)).isEqualTo(c);
        Files.writeString(file, "{\"details\": {\"epochs\": 3}}", StandardCharsets.UTF_8);
        FitConfig partial = FitConfig.read(file);
        assertThat(partial.details().epochs()).isEqualTo(3);
        assertThat(partial.tracking()).isEqualTo(FitConfig.DEFAULT_TRACKING);
        Files.writeString(file, "{\"details\": {\"epochz\": 3}}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FitConfig.read(file)).isInstanceOf(InputException.class).hasMessageContaining("details.epochz");
        Files.writeString(file, "{\"details\": {\"epochs\": 2.5}}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FitConfig.read(file)).isInstanceOf(InputException.class).hasMessageContaining("epochs");
    }

    @Test
    void variantsSwitchTheFieldsAndTheRule() {
        assertThat(FitConfig.DEFAULT.variant('a').details().identityOffsets()).isFalse();
        assertThat(FitConfig.DEFAULT.variant('b').details().expressionOffsets()).isFalse();
        assertThat(FitConfig.DEFAULT.variant('c').details().disentangle()).isTrue();
        assertThat(FitConfig.DEFAULT.variant('d').details().disentangle()).isFalse();
        assertThat(FitConfig.DEFAULT.variant('d').details().expressionOffsets()).isTrue();
    }
}
