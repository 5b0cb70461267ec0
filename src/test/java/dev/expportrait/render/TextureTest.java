package dev.expportrait.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.head.PinholeCamera;
import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class TextureTest {
    /** A 0.2 m square facing the camera 1 m away, UV-mapped onto a 4 x 4 texture, its second triangle through seam copies. */
    @Test
    void uvTextureSamplesBilinearlyAtTheRightPlacesAndPassesGradientsToTheImage() {
        float[] v = {-0.1f, -0.1f, 0, 0.1f, -0.1f, 0, 0.1f, 0.1f, 0, -0.1f, 0.1f, 0};
        int[] faces = {0, 1, 2, 0, 2, 3};
        float[] uvs = {0, 0, 1, 0, 1, 1, 0, 1, /* seam copies of 0, 2, 3: */ 0, 0, 1, 1, 0, 1};
        int[] uvFaces = {0, 1, 2, 4, 5, 6};
        int th = 4, tw = 4;
        float[] tex = new float[th * tw];
        for (int i = 0; i < tex.length; i++) tex[i] = (float) ((i * 7) % 16) / 16f;
        Tensor image = Tensors.floats(tex, 1, th, tw).set_requires_grad(true);
        int size = 48;
        PinholeCamera cam = PinholeCamera.facing(new double[] {0, 0, 0}, 1.0, 16, size, size);
        MapRenderer.Maps maps = MapRenderer.render(Tensors.floats(v, 1, 4, 3), faces, EdgeTopology.of(faces), cam, false,
                Albedo.texture(uvs, uvFaces, image));
        float[] albedo = Tensors.toFloats(maps.albedo());
        int[] tri = maps.rasters().get(0).triangle();
        int covered = 0;
        for (int py = 0; py < size; py++) {
            for (int px = 0; px < size; px++) {
                int p = py * size + px;
                if (tri[p] < 0) continue;
                covered++;
                double x = (px - cam.cx()) / cam.fx(), y = -(py - cam.cy()) / cam.fy();
                double u = (x + 0.1) / 0.2, vv = (y + 0.1) / 0.2;
                assertThat((double) albedo[p]).as("pixel %d,%d", px, py).isCloseTo(bilinear(tex, tw, th, u, vv), within(2e-4));
            }
        }
        assertThat(covered).isGreaterThan(size * size / 4);
        // Bilinear weights sum to 1 per pixel, so d(sum of albedo)/d(texture) sums to the covered count.
        maps.albedo().sum().backward();
        double gradSum = image.grad().sum().item_double();
        assertThat(gradSum).isCloseTo(covered, within(1e-2));
    }

    /** Reference lookup: texel centres at ((i + 0.5) / W, 1 - (j + 0.5) / H), clamped at the border. */
    private static double bilinear(float[] tex, int w, int h, double u, double v) {
        double fx = u * w - 0.5, fy = (1 - v) * h - 0.5;
        int x0 = (int) Math.floor(fx), y0 = (int) Math.floor(fy);
        double ax = fx - x0, ay = fy - y0;
        return (1 - ay) * ((1 - ax) * at(tex, w, h, x0, y0) + ax * at(tex, w, h, x0 + 1, y0))
                + ay * ((1 - ax) * at(tex, w, h, x0, y0 + 1) + ax * at(tex, w, h, x0 + 1, y0 + 1));
    }

    private static double at(float[] tex, int w, int h, int x, int y) {
        return tex[Math.max(0, Math.min(h - 1, y)) * w + Math.max(0, Math.min(w - 1, x))];
    }
}
