package dev.expportrait.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShadingTest {
    @Test
    void lambertPlusAmbientPlusBlinnPhongAgainstTheFormulaAndTheBackgroundOutside() {
        double s = Math.sqrt(0.5);
        Shading.Setup setup = new Shading.Setup(List.of(
                new Shading.Light(new double[] {0, 0, 2}, 0.6),       // head-on: n.l = 1, n.h = 1
                new Shading.Light(new double[] {1, 0, 1}, 0.4)),      // 45 degrees to the side
                0.2, 0.5, 8, new double[] {0.1, 0.2, 0.3});
        // Pixel 0: facing the viewer; pixel 1: tilted 45 degrees to the other side; pixel 2: empty.
        float[] normals = {0, 0, 1, (float) -s, 0, (float) s, 0, 0, 1};
        float[] albedo = {0.5f, 0.4f, 0.3f, 0.5f, 0.4f, 0.3f, 0.9f, 0.9f, 0.9f};
        float[] mask = {1, 1, 0};
        float[] rgb = Tensors.toFloats(Shading.shade(Tensors.floats(normals, 1, 1, 3, 3), Tensors.floats(albedo, 1, 1, 3, 3),
                Tensors.floats(mask, 1, 1, 3, 1), setup));
        // Pixel 0: diffuse 0.6 * 1 + 0.4 * cos45; specular 0.6 * 1 + 0.4 * (n.h)^8 with h between (1,0,1)/sqrt2 and +z.
        double h2z = Math.cos(Math.toRadians(22.5));
        double d0 = 0.6 + 0.4 * s, sp0 = 0.6 + 0.4 * Math.pow(h2z, 8);
        // Pixel 1: n = (-s, 0, s): n.l1 = s; n.l2 = 0; n.h1 = s; n.h2 = cos(67.5 deg).
        double d1 = 0.6 * s, sp1 = 0.6 * Math.pow(s, 8) + 0.4 * Math.pow(Math.cos(Math.toRadians(67.5)), 8);
        double[] a = {0.5, 0.4, 0.3};
        for (int c = 0; c < 3; c++) {
            assertThat((double) rgb[c]).isCloseTo(Math.min(1, a[c] * (d0 + 0.2) + 0.5 * sp0), within(1e-5));
            assertThat((double) rgb[3 + c]).isCloseTo(Math.min(1, a[c] * (d1 + 0.2) + 0.5 * sp1), within(1e-5));
        }
        assertThat(new float[] {rgb[6], rgb[7], rgb[8]}).containsExactly(new float[] {0.1f, 0.2f, 0.3f}, within(1e-6f));
    }

    @Test
    void aBackgroundImageShowsWhereEmptyAndBlendsByCoverageAtTheRim() {
        Shading.Setup setup = new Shading.Setup(List.of(new Shading.Light(new double[] {0, 0, 1}, 0.5)), 0.2, 0, 8,
                new double[] {1, 1, 1});
        // Three pixels facing the light: covered, half covered, empty; each over its own background colour.
        float[] normals = {0, 0, 1, 0, 0, 1, 0, 0, 1};
        float[] albedo = {0.8f, 0.6f, 0.4f, 0.8f, 0.6f, 0.4f, 0, 0, 0};
        float[] mask = {1, 0.5f, 0};
        float[] background = {0.1f, 0.1f, 0.1f, 0.9f, 0.2f, 0.3f, 0.3f, 0.5f, 0.7f};
        float[] rgb = Tensors.toFloats(Shading.shade(Tensors.floats(normals, 1, 1, 3, 3), Tensors.floats(albedo, 1, 1, 3, 3),
                Tensors.floats(mask, 1, 1, 3, 1), setup, Tensors.floats(background, 1, 3, 3)));
        for (int c = 0; c < 3; c++) {
            double lit = albedo[c] * 0.7; // diffuse 0.5 + ambient 0.2, no specular
            assertThat((double) rgb[c]).isCloseTo(lit, within(1e-5));
            assertThat((double) rgb[3 + c]).isCloseTo(0.5 * lit + 0.5 * background[3 + c], within(1e-5));
            assertThat(rgb[6 + c]).isCloseTo(background[6 + c], within(1e-6f));
        }
    }

    @Test
    void theEightBitJavaShaderMatchesTheTensorShader() {
        java.util.Random r = new java.util.Random(4);
        int n = 500;
        float[] normals = new float[3 * n], albedo = new float[3 * n], mask = new float[n], background = new float[3 * n];
        for (int p = 0; p < n; p++) {
            double x = r.nextGaussian(), y = r.nextGaussian(), z = Math.abs(r.nextGaussian()), len = Math.sqrt(x * x + y * y + z * z);
            normals[3 * p] = (float) (x / len);
            normals[3 * p + 1] = (float) (y / len);
            normals[3 * p + 2] = (float) (z / len);
            mask[p] = p % 5 == 0 ? 0 : p % 5 == 1 ? r.nextFloat() : 1;
            for (int c = 0; c < 3; c++) {
                albedo[3 * p + c] = r.nextFloat();
                background[3 * p + c] = r.nextFloat();
            }
        }
        float[] expected = Tensors.toFloats(Shading.shade(Tensors.floats(normals, 1, 1, n, 3), Tensors.floats(albedo, 1, 1, n, 3),
                Tensors.floats(mask, 1, 1, n, 1), Shading.Setup.STUDIO, Tensors.floats(background, 1, n, 3)));
        byte[] bytes = Shading.shade8(normals, albedo, mask, Shading.Setup.STUDIO, background);
        for (int i = 0; i < 3 * n; i++) {
            assertThat(Math.abs((bytes[i] & 0xff) - 255.0 * expected[i])).as("sample %d", i).isLessThanOrEqualTo(0.51);
        }
    }
}
