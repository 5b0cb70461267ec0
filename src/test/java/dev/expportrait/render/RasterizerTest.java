package dev.expportrait.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.head.PinholeCamera;
import dev.expportrait.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RasterizerTest {
    private static final Intrinsics K = new Intrinsics(40, 44, 23.3, 19.7, 48, 40);

    /** Random triangles in front of the camera, overlapping each other; z in [1, 3]. */
    private static float[] randomTriangles(Random rnd, int n) {
        float[] v = new float[n * 9];
        for (int t = 0; t < n; t++) {
            double cx = rnd.nextDouble() * 1.6 - 0.8, cy = rnd.nextDouble() * 1.4 - 0.7, cz = 1 + 2 * rnd.nextDouble();
            double size = 0.05 + 0.4 * rnd.nextDouble();
            for (int i = 0; i < 3; i++) {
                double z = cz + (rnd.nextDouble() - 0.5) * 0.6;
                v[t * 9 + i * 3] = (float) ((cx + size * rnd.nextGaussian()) * z);
                v[t * 9 + i * 3 + 1] = (float) ((cy + size * rnd.nextGaussian()) * z);
                v[t * 9 + i * 3 + 2] = (float) z;
            }
        }
        return v;
    }

    private static int[] sequentialFaces(int n) {
        int[] f = new int[n * 3];
        for (int i = 0; i < f.length; i++) {
            f[i] = i;
        }
        return f;
    }

    private static void assertSameAsReference(float[] v, int[] faces, Intrinsics k, RasterOptions options) {
        RasterBuffers got = Rasterizer.rasterize(v, faces, k, options);
        RasterBuffers want = ReferenceRasterizer.rasterize(v, faces, k, options);
        assertThat(got.triangle()).containsExactly(want.triangle());
        assertThat(got.bary()).containsExactly(want.bary(), within(1e-5f));
        for (int i = 0; i < got.depth().length; i++) {
            if (Float.isInfinite(want.depth()[i])) {
                assertThat(got.depth()[i]).isEqualTo(Float.POSITIVE_INFINITY);
            } else {
                assertThat(got.depth()[i]).isCloseTo(want.depth()[i], within(1e-5f));
            }
        }
    }

    @Test
    void randomOccludingTrianglesMatchTheBruteForceReference() {
        Random rnd = new Random(1);
        for (int trial = 0; trial < 4; trial++) {
            float[] v = randomTriangles(rnd, 60);
            RasterOptions options = RasterOptions.DEFAULT.withCullBackFaces(trial % 2 == 1);
            assertSameAsReference(v, sequentialFaces(60), K, options);
        }
    }

    @Test
    void backFaceCullingDropsExactlyTheClockwiseTriangles() {
        // One triangle, then the same with its winding reversed: its normal now points at the camera.
        float[] v = {-0.5f, -0.4f, 2, 0.6f, -0.3f, 2, 0.1f, 0.5f, 2};
        int[] away = {0, 1, 2};
        int[] toward = {0, 2, 1};
        RasterOptions cull = RasterOptions.DEFAULT.withCullBackFaces(true);
        assertThat(Rasterizer.rasterize(v, away, K, cull).coveredCount()).isZero();
        assertThat(Rasterizer.rasterize(v, away, K, RasterOptions.DEFAULT).coveredCount()).isGreaterThan(50);
        assertThat(Rasterizer.rasterize(v, toward, K, cull).coveredCount())
                .isEqualTo(Rasterizer.rasterize(v, away, K, RasterOptions.DEFAULT).coveredCount());
    }

    @Test
    void aClosedFanAroundAPixelCentreCoversEveryPixelExactlyOnce() {
        // Intrinsics with integer pixel positions for z = 1 and exact float inputs.
        Intrinsics k = new Intrinsics(16, 16, 16, 16, 32, 32);
        Random rnd = new Random(7);
        for (int trial = 0; trial < 5; trial++) {
            int n = 5 + trial;
            float[] v = new float[(n + 1) * 3];
            v[0] = 0;
            v[1] = 0;
            v[2] = 1; // the hub projects onto the centre of pixel (16, 16)
            for (int i = 0; i < n; i++) {
                // Trial 0 puts spokes exactly along the axes, so edges run through rows and columns of centres.
                double a = trial == 0 ? i * 2 * Math.PI / n : (i + 0.3 * rnd.nextDouble()) * 2 * Math.PI / n;
                double r = 10 + rnd.nextInt(5);
                v[3 * (i + 1)] = (float) (Math.rint(r * Math.cos(a)) / 16);
                v[3 * (i + 1) + 1] = (float) (Math.rint(r * Math.sin(a)) / 16);
                v[3 * (i + 1) + 2] = 1;
            }
            int[] faces = new int[3 * n];
            for (int i = 0; i < n; i++) {
                faces[3 * i] = 0;
                faces[3 * i + 1] = 1 + i;
                faces[3 * i + 2] = 1 + (i + 1) % n;
            }
            int[] count = ReferenceRasterizer.coverageCount(v, faces, k, RasterOptions.DEFAULT);
            assertThat(count[16 * 32 + 16]).as("hub pixel").isEqualTo(1);
            for (int y = 12; y <= 20; y++) {
                for (int x = 12; x <= 20; x++) {
                    assertThat(count[y * 32 + x]).as("pixel %d,%d", x, y).isEqualTo(1);
                }
            }
            assertThat(java.util.Arrays.stream(count).max().getAsInt()).isLessThanOrEqualTo(1);
            assertSameAsReference(v, faces, k, RasterOptions.DEFAULT);
        }
    }

    @Test
    void aGridWithEdgesThroughPixelCentresHasNoCracksAndNoDoubleCoverage() {
        // A 6x5 grid of cells 4 px wide at z = 1, corners on pixel centres, alternating diagonals,
        // with the faces wound both ways so that fills from both orientations meet.
        Intrinsics k = new Intrinsics(32, 32, 2, 3, 32, 28);
        int nx = 7, ny = 6;
        float[] v = new float[nx * ny * 3];
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                int p = (j * nx + i) * 3;
                v[p] = (float) (i * 4) / 32;
                v[p + 1] = (float) (j * 4) / 32;
                v[p + 2] = 1;
            }
        }
        List<Integer> f = new ArrayList<>();
        for (int j = 0; j + 1 < ny; j++) {
            for (int i = 0; i + 1 < nx; i++) {
                int a = j * nx + i, b = a + 1, c = a + nx, d = c + 1;
                int[] quad = (i + j) % 2 == 0 ? new int[] {a, b, d, a, d, c} : new int[] {a, b, c, b, d, c};
                if (i % 3 == 0) {
                    quad = new int[] {quad[0], quad[2], quad[1], quad[3], quad[5], quad[4]};
                }
                for (int q : quad) {
                    f.add(q);
                }
            }
        }
        int[] faces = f.stream().mapToInt(Integer::intValue).toArray();
        int[] count = ReferenceRasterizer.coverageCount(v, faces, k, RasterOptions.DEFAULT);
        // Grid spans pixels x in [2, 26], y in [3, 23]; every centre strictly inside is covered once.
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 32; x++) {
                int c = count[y * 32 + x];
                if (x > 2 && x < 26 && y > 3 && y < 23) {
                    assertThat(c).as("pixel %d,%d", x, y).isEqualTo(1);
                } else {
                    assertThat(c).as("pixel %d,%d", x, y).isLessThanOrEqualTo(1);
                }
            }
        }
        assertSameAsReference(v, faces, k, RasterOptions.DEFAULT);
    }

    @Test
    void trianglesWithAVertexBeforeTheNearPlaneAreSkipped() {
        float[] v = {-0.5f, -0.4f, 2, 0.6f, -0.3f, 2, 0.0001f, 0.0001f, 0.0005f};
        int[] faces = {0, 1, 2};
        assertThat(Rasterizer.rasterize(v, faces, K, RasterOptions.DEFAULT).coveredCount()).isZero();
        RasterOptions nearer = new RasterOptions(false, 1e-4);
        assertThat(Rasterizer.rasterize(v, faces, K, nearer).coveredCount()).isGreaterThan(0);
        assertSameAsReference(v, faces, K, nearer);
    }

    @Test
    void degenerateTrianglesCoverNothing() {
        Intrinsics k = new Intrinsics(16, 16, 16, 16, 32, 32);
        // Collinear through pixel centres, a repeated vertex, and a triangle seen edge-on (x = 0 plane).
        float[] v = {0, 0, 1, 0.5f, 0, 1, 0.25f, 0, 1, 0, 0.5f, 1, 0, 0.2f, 2, 0, -0.3f, 3};
        int[] faces = {0, 1, 2, 0, 0, 3, 0, 4, 5};
        assertThat(Rasterizer.rasterize(v, faces, k, RasterOptions.DEFAULT).coveredCount()).isZero();
    }

    @Test
    void batchedFramesAndWorldSpaceInputAgreeWithSingleFrames() {
        Random rnd = new Random(3);
        int[] faces = sequentialFaces(40);
        List<float[]> frames = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            frames.add(randomTriangles(rnd, 40));
        }
        List<RasterBuffers> batch = Rasterizer.rasterize(frames, faces, K, RasterOptions.DEFAULT);
        for (int t = 0; t < 5; t++) {
            RasterBuffers one = Rasterizer.rasterize(frames.get(t), faces, K, RasterOptions.DEFAULT);
            assertThat(batch.get(t).triangle()).containsExactly(one.triangle());
            assertThat(batch.get(t).bary()).containsExactly(one.bary());
        }
        // A facing camera flips y and z; world points mirrored accordingly give the same camera-space mesh.
        PinholeCamera cam = new PinholeCamera(K.fx(), K.fy(), K.cx(), K.cy(), K.width(), K.height(),
                new double[] {1, 0, 0, 0, -1, 0, 0, 0, -1}, new double[] {0, 0, 0});
        float[] world = frames.get(0).clone();
        for (int i = 0; i < world.length; i += 3) {
            world[i + 1] = -world[i + 1];
            world[i + 2] = -world[i + 2];
        }
        RasterBuffers viaCamera = Rasterizer.rasterize(world, faces, cam, RasterOptions.DEFAULT);
        RasterBuffers viaTensor = Rasterizer.rasterize(Tensors.floats(world, 40 * 3, 3), faces, cam, RasterOptions.DEFAULT).get(0);
        assertThat(viaCamera.triangle()).containsExactly(batch.get(0).triangle());
        assertThat(viaTensor.triangle()).containsExactly(batch.get(0).triangle());
    }
}
