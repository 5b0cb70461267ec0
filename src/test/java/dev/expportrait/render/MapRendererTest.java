package dev.expportrait.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.head.PinholeCamera;
import dev.expportrait.tensor.Tensors;
import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class MapRendererTest {
    /** A unit icosphere scaled to radius 0.1 m at the origin, seen by a facing camera 1 m away. */
    @Test
    void sphereMapsFollowTheNormalMapConventionDepthAndArea() {
        TestMeshes.Mesh s = TestMeshes.icosphere(4);
        float[] v = s.vertices().clone();
        for (int i = 0; i < v.length; i++) v[i] *= 0.1f;
        int size = 128;
        PinholeCamera cam = PinholeCamera.facing(new double[] {0, 0, 0}, 1.0, 20, size, size);
        Tensor colors = Tensors.floats(new float[v.length], v.length / 3, 3).add(Tensors.scalar(0.5));
        MapRenderer.Maps maps = MapRenderer.render(Tensors.floats(v, 1, v.length / 3, 3), s.faces(), EdgeTopology.of(s.faces()), cam, true, Albedo.vertexColors(colors));
        float[] n = Tensors.toFloats(maps.normal());
        float[] d = Tensors.toFloats(maps.depth());
        float[] m = Tensors.toFloats(maps.mask());
        float[] albedo = Tensors.toFloats(maps.albedo());
        int centre = (size / 2) * size + size / 2;
        assertThat(n[centre * 3 + 2]).isCloseTo(1f, within(0.01f)); // facing the camera: +z
        assertThat(d[centre]).isCloseTo(0.9f, within(0.002f)); // 1 m minus the radius
        assertThat(albedo[centre * 3]).isCloseTo(0.5f, within(1e-5f));
        // Right of centre in the image: +x; above centre (smaller row): +y, as normal maps are drawn.
        int right = centre + 12, above = centre - 12 * size;
        assertThat(n[right * 3]).isGreaterThan(0.3f);
        assertThat(n[above * 3 + 1]).isGreaterThan(0.3f);
        // Covered area against the projected disc: r_px = f * r / sqrt(d^2 - r^2) for a sphere.
        double f = cam.fy();
        double radiusPx = f * 0.1 / Math.sqrt(1 - 0.01);
        double area = 0;
        for (float x : m) area += x;
        assertThat(area).isCloseTo(Math.PI * radiusPx * radiusPx, within(0.03 * Math.PI * radiusPx * radiusPx));
        assertThat(m[0]).isZero();
    }

    /** Moving the principal point by whole pixels moves every map by exactly those pixels and changes nothing else. */
    @Test
    void aPrincipalPointShiftTranslatesTheMapsPerFrame() {
        TestMeshes.Mesh s = TestMeshes.icosphere(3);
        float[] v = TestMeshes.placed(s.vertices(), 0.1, 0, 0, 0);
        int size = 64;
        float[] two = new float[2 * v.length];
        System.arraycopy(v, 0, two, 0, v.length);
        System.arraycopy(v, 0, two, v.length, v.length);
        Tensor frames = Tensors.floats(two, 2, v.length / 3, 3);
        EdgeTopology topology = EdgeTopology.of(s.faces());
        PinholeCamera cam = PinholeCamera.facing(new double[] {0, 0, 0}, 1.0, 30, size, size);
        MapRenderer.Maps still = MapRenderer.render(frames, s.faces(), topology, cam, true, null);
        MapRenderer.Maps shaken = MapRenderer.render(frames, s.faces(), topology, cam, new float[] {0, 0, 3, -2}, true, null);
        float[] a = Tensors.toFloats(still.normal()), b = Tensors.toFloats(shaken.normal());
        float[] da = Tensors.toFloats(still.depth()), db = Tensors.toFloats(shaken.depth());
        int px = size * size;
        assertThat(Arrays.equals(Arrays.copyOf(a, px * 3), Arrays.copyOf(b, px * 3))).as("frame 0 has no shift").isTrue();
        for (int y = 4; y < size - 4; y++) {
            for (int x = 4; x < size - 4; x++) {
                int p = px + y * size + x, q = px + (y + 2) * size + (x - 3); // frame 1, where (x, y) came from
                assertThat(db[p]).isCloseTo(da[q], within(1e-5f));
                for (int c = 0; c < 3; c++) assertThat(b[3 * p + c]).isCloseTo(a[3 * q + c], within(1e-4f));
            }
        }
    }
}
