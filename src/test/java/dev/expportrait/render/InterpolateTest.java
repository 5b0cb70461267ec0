package dev.expportrait.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class InterpolateTest {
    private static final Intrinsics K = new Intrinsics(60, 62, 24.5, 21.5, 48, 44);

    /** Two frames of a jittered icosphere (occluding itself from behind) at about 2.5 m. */
    private static List<float[]> frames(Random rnd) {
        TestMeshes.Mesh m = TestMeshes.icosphere(1);
        List<float[]> out = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            float[] v = TestMeshes.placed(m.vertices(), 0.7, 0.1 * t, -0.05, 2.5);
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (0.03 * rnd.nextGaussian());
            }
            out.add(v);
        }
        return out;
    }

    private static Tensor stacked(List<float[]> frames, int v) {
        float[] all = new float[frames.size() * v * 3];
        for (int t = 0; t < frames.size(); t++) {
            System.arraycopy(frames.get(t), 0, all, t * v * 3, v * 3);
        }
        return Tensors.floats(all, frames.size(), v, 3);
    }

    @Test
    void recomputedBarycentricsAndInterpolatedDepthMatchTheRasterBuffers() {
        int[] faces = TestMeshes.icosphere(1).faces();
        List<float[]> frames = frames(new Random(2));
        int v = frames.get(0).length / 3;
        List<RasterBuffers> rasters = Rasterizer.rasterize(frames, faces, K, RasterOptions.DEFAULT);
        Tensor pos = stacked(frames, v).to(org.bytedeco.pytorch.global.torch.ScalarType.Double);
        Fragments fr = Interpolate.fragments(rasters, pos, faces, K);
        assertThat(fr.count()).isEqualTo(rasters.get(0).coveredCount() + rasters.get(1).coveredCount());
        double[] bary = Tensors.toDoubles(fr.bary());
        long[] frame = Tensors.toLongs(fr.frame());
        long[] pixel = Tensors.toLongs(fr.pixel());
        for (int i = 0; i < fr.count(); i++) {
            float[] want = rasters.get((int) frame[i]).bary();
            assertThat(bary[3 * i]).isCloseTo(want[(int) (2 * pixel[i])], within(1e-5));
            assertThat(bary[3 * i + 1]).isCloseTo(want[(int) (2 * pixel[i] + 1)], within(1e-5));
        }
        // Perspective-correct interpolation of camera z is the surface depth.
        Tensor z = pos.narrow(2, 2, 1);
        double[] depth = Tensors.toDoubles(Interpolate.interpolate(fr, z));
        for (int t = 0; t < 2; t++) {
            float[] want = rasters.get(t).depth();
            for (int p = 0; p < want.length; p++) {
                double expected = Float.isInfinite(want[p]) ? 0 : want[p];
                assertThat(depth[t * want.length + p]).isCloseTo(expected, within(1e-5));
            }
        }
    }

    @Test
    void imageLossGradientsMatchCentralFiniteDifferencesWithTheRasterHeldFixed() {
        Random rnd = new Random(4);
        int[] faces = TestMeshes.icosphere(1).faces();
        List<float[]> frames = frames(rnd);
        int t = 2, v = frames.get(0).length / 3, c = 3;
        List<RasterBuffers> rasters = Rasterizer.rasterize(frames, faces, K, RasterOptions.DEFAULT);
        double[] p = Tensors.toDoubles(stacked(frames, v));
        double[] attr = new double[t * v * c];
        double[] weights = new double[t * K.height() * K.width() * c];
        Arrays.setAll(attr, i -> rnd.nextGaussian());
        Arrays.setAll(weights, i -> rnd.nextGaussian());
        Tensor w = Tensors.doubles(weights, t, K.height(), K.width(), c);
        Tensor a = Tensors.doubles(attr, t, v, c);
        Tensor pos = Tensors.doubles(p, t, v, 3);
        pos.set_requires_grad(true);
        a.set_requires_grad(true);
        Interpolate.interpolate(Interpolate.fragments(rasters, pos, faces, K), a).mul(w).sum().backward();
        double[] gradPos = Tensors.toDoubles(pos.grad());
        double[] gradAttr = Tensors.toDoubles(a.grad());
        Tensor fixedAttr = Tensors.doubles(attr, t, v, c);
        double h = 1e-7;
        int checked = 0;
        for (int i = 0; i < p.length; i += 5) {
            double[] plus = p.clone(), minus = p.clone();
            plus[i] += h;
            minus[i] -= h;
            double lp = Interpolate.interpolate(Interpolate.fragments(rasters, Tensors.doubles(plus, t, v, 3), faces, K), fixedAttr).mul(w).sum().item_double();
            double lm = Interpolate.interpolate(Interpolate.fragments(rasters, Tensors.doubles(minus, t, v, 3), faces, K), fixedAttr).mul(w).sum().item_double();
            double fd = (lp - lm) / (2 * h);
            assertThat(gradPos[i]).as("position %d", i).isCloseTo(fd, within(1e-5 * (1 + Math.abs(fd))));
            checked += fd != 0 ? 1 : 0;
        }
        assertThat(checked).as("coordinates with a nonzero gradient").isGreaterThan(15);
        // The image is linear in the attribute: its gradient is the FD exactly up to rounding.
        Fragments fixed = Interpolate.fragments(rasters, Tensors.doubles(p, t, v, 3), faces, K);
        double base = Interpolate.interpolate(fixed, fixedAttr).mul(w).sum().item_double();
        for (int i = 0; i < attr.length; i += 11) {
            double[] plus = attr.clone();
            plus[i] += 1;
            double moved = Interpolate.interpolate(fixed, Tensors.doubles(plus, t, v, c)).mul(w).sum().item_double();
            assertThat(gradAttr[i]).isCloseTo(moved - base, within(1e-9));
        }
    }

    @Test
    void normalMapOfASphereMatchesTheAnalyticNormals() {
        TestMeshes.Mesh m = TestMeshes.icosphere(4); // 2562 vertices
        Intrinsics k = new Intrinsics(150, 150, 47.5, 47.5, 96, 96);
        double[] centre = {0.05, -0.03, 4};
        float[] v = TestMeshes.placed(m.vertices(), 1, centre);
        int nv = m.vertexCount();
        RasterBuffers raster = Rasterizer.rasterize(v, m.faces(), k, RasterOptions.DEFAULT.withCullBackFaces(true));
        Tensor pos = Tensors.floats(v, 1, nv, 3);
        Tensor normals = VertexNormals.compute(pos, m.faces());
        Tensor image = Interpolate.interpolate(Interpolate.fragments(List.of(raster), pos, m.faces(), k), normals);
        double[] n = Tensors.toDoubles(image.div(image.norm(new org.bytedeco.pytorch.ScalarOptional(Tensors.scalar(2)),
                new long[] {3}, true).clamp_min(Tensors.scalar(1e-12))));
        List<Double> errors = new ArrayList<>();
        double cu = k.fx() * centre[0] / centre[2] + k.cx(), cv = k.fy() * centre[1] / centre[2] + k.cy();
        double radiusPx = k.fx() / Math.sqrt(centre[2] * centre[2] - 1);
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 96; x++) {
                if (Math.hypot(x - cu, y - cv) > 0.85 * radiusPx) {
                    continue;
                }
                int p = y * 96 + x;
                assertThat(raster.triangle()[p]).isGreaterThanOrEqualTo(0);
                double[] d = {(x - k.cx()) / k.fx(), (y - k.cy()) / k.fy(), 1};
                // Nearest s with |s d - c| = 1.
                double dd = d[0] * d[0] + d[1] * d[1] + 1, dc = d[0] * centre[0] + d[1] * centre[1] + centre[2];
                double cc = centre[0] * centre[0] + centre[1] * centre[1] + centre[2] * centre[2];
                double s = (dc - Math.sqrt(dc * dc - dd * (cc - 1))) / dd;
                double dot = 0;
                for (int i = 0; i < 3; i++) {
                    dot += n[3 * p + i] * (s * d[i] - centre[i]);
                }
                errors.add(Math.toDegrees(Math.acos(Math.min(1, dot))));
            }
        }
        errors.sort(Double::compare);
        assertThat(errors.size()).isGreaterThan(2000);
        assertThat(errors.get(errors.size() / 2)).isLessThan(2.0);
        assertThat(errors.get(errors.size() * 95 / 100)).isLessThan(4.0);
    }

    @Test
    void attributesSharedByAllFramesAreAccepted() {
        int[] faces = TestMeshes.icosphere(1).faces();
        List<float[]> frames = frames(new Random(9));
        int v = frames.get(0).length / 3;
        List<RasterBuffers> rasters = Rasterizer.rasterize(frames, faces, K, RasterOptions.DEFAULT);
        Fragments fr = Interpolate.fragments(rasters, stacked(frames, v), faces, K);
        float[] ones = new float[v];
        Arrays.fill(ones, 1);
        Tensor mask = Interpolate.interpolate(fr, Tensors.floats(ones, v, 1));
        assertThat(Tensors.shape(mask)).containsExactly(2, 44, 48, 1);
        float[] m = Tensors.toFloats(mask);
        for (int t = 0; t < 2; t++) {
            int[] tri = rasters.get(t).triangle();
            for (int p = 0; p < tri.length; p++) {
                assertThat(m[t * tri.length + p]).isCloseTo(tri[p] >= 0 ? 1f : 0f, within(1e-5f));
            }
        }
        assertThat(Tensors.toFloats(mask.sum(new long[] {1, 2, 3}, false, new ScalarTypeOptional())))
                .containsExactly((float) rasters.get(0).coveredCount(), (float) rasters.get(1).coveredCount());
    }

    @Test
    void anEmptyRasterGivesAZeroImage() {
        int[] faces = TestMeshes.icosphere(1).faces();
        float[] behind = TestMeshes.placed(TestMeshes.icosphere(1).vertices(), 0.5, 0, 0, -3);
        RasterBuffers raster = Rasterizer.rasterize(behind, faces, K, RasterOptions.DEFAULT);
        assertThat(raster.coveredCount()).isZero();
        Tensor pos = Tensors.floats(behind, 1, behind.length / 3, 3);
        Tensor image = Interpolate.interpolate(Interpolate.fragments(List.of(raster), pos, faces, K), pos);
        assertThat(Tensors.shape(image)).containsExactly(1, 44, 48, 3);
        assertThat(Tensors.toFloats(image)).containsOnly(0f);
    }
}
