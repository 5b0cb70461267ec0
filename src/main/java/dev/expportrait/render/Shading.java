package dev.expportrait.render;

import dev.expportrait.tensor.Tensors;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * A shaded RGB image from rendered maps: Lambertian diffuse plus ambient, and a Blinn-Phong specular term,
 * for a few directional lights, composited over a background by the mask. Lights live in the normal-map
 * frame of {@link MapRenderer} (x right, y up, z towards the camera); the viewer looks along -z.
 * Differentiable in normals, albedo and mask.
 */
public final class Shading {
    private Shading() {}

    /**
     * A directional light.
     *
     * @param direction [3] towards the light (normalised here)
     * @param intensity scale of its diffuse and specular contribution
     */
    public record Light(double[] direction, double intensity) {}

    /** Material and lighting constants. */
    public record Setup(List<Light> lights, double ambient, double specular, double shininess, double[] background) {
        /** A key light from the upper left, a fill from the right and a weak light from below-front. */
        public static final Setup STUDIO = new Setup(List.of(
                new Light(new double[] {-0.5, 0.6, 0.8}, 0.75),
                new Light(new double[] {0.7, 0.1, 0.5}, 0.30),
                new Light(new double[] {0.0, -0.6, 0.8}, 0.12)), 0.22, 0.18, 24, new double[] {0.16, 0.17, 0.20});

        /** The same lights and material over another background colour [3]. */
        public Setup withBackground(double[] colour) {
            return new Setup(lights, ambient, specular, shininess, colour.clone());
        }
    }

    /**
     * @param normal [T, H, W, 3]
     * @param albedo [T, H, W, 3] in [0, 1]
     * @param mask [T, H, W, 1] coverage
     * @return [T, H, W, 3] linear RGB in [0, 1]
     */
    public static Tensor shade(Tensor normal, Tensor albedo, Tensor mask, Setup setup) {
        return shade(normal, albedo, mask, setup, Tensors.doubles(setup.background(), 3).to(normal.scalar_type()));
    }

    /**
     * As {@link #shade(Tensor, Tensor, Tensor, Setup)} over a background image instead of the setup's colour:
     * each pixel is lit m + background (1 - m), so antialiased silhouettes blend into the image behind.
     *
     * @param background [H, W, 3] or [T, H, W, 3] in [0, 1] (anything that broadcasts to the output)
     */
    public static Tensor shade(Tensor normal, Tensor albedo, Tensor mask, Setup setup, Tensor background) {
        // All lights at once: [.., 3] x [3, L] products, so the cost does not grow with ops per light.
        int l = setup.lights().size();
        LightFrame k = LightFrame.of(setup);
        double[] dirs = new double[3 * l], halves = new double[3 * l];
        for (int i = 0; i < l; i++) {
            for (int c = 0; c < 3; c++) {
                dirs[c * l + i] = k.dirs()[3 * i + c];
                halves[c * l + i] = k.halves()[3 * i + c];
            }
        }
        double[] weights = k.weights();
        Tensor lightDirs = Tensors.doubles(dirs, 3, l).to(normal.scalar_type());
        Tensor halfDirs = Tensors.doubles(halves, 3, l).to(normal.scalar_type());
        Tensor intensity = Tensors.doubles(weights, l, 1).to(normal.scalar_type());
        Tensor diffuse = normal.matmul(lightDirs).clamp_min(new Scalar(0)).matmul(intensity); // [.., 1]
        Tensor specular = normal.matmul(halfDirs).clamp_min(new Scalar(0)).pow(new Scalar(setup.shininess())).matmul(intensity);
        Tensor lit = albedo.mul(diffuse.add(new Scalar(setup.ambient()))).add(specular.mul(new Scalar(setup.specular())));
        Tensor m = mask.clamp(new org.bytedeco.pytorch.ScalarOptional(new Scalar(0)), new org.bytedeco.pytorch.ScalarOptional(new Scalar(1)));
        // lit m + background (1 - m), clamped to the displayable range.
        return lit.sub(background).mul(m).add(background).clamp(
                new org.bytedeco.pytorch.ScalarOptional(new Scalar(0)), new org.bytedeco.pytorch.ScalarOptional(new Scalar(1)));
    }

    /**
     * The same shading as {@link #shade(Tensor, Tensor, Tensor, Setup, Tensor)} for one frame on plain arrays,
     * straight to 8-bit RGB: for writing images, where a Java loop that skips empty pixels beats a dozen
     * full-size tensor ops and their copies. Not differentiable.
     *
     * @param normal [H, W, 3]
     * @param albedo [H, W, 3] in [0, 1]
     * @param mask [H, W] coverage
     * @param background [H, W, 3] in [0, 1]
     * @return [H, W, 3] round(255 x the clamped colour)
     */
    public static byte[] shade8(float[] normal, float[] albedo, float[] mask, Setup setup, float[] background) {
        LightFrame k = LightFrame.of(setup);
        int l = k.weights().length;
        boolean integral = setup.shininess() == Math.rint(setup.shininess()) && setup.shininess() >= 0;
        byte[] out = new byte[background.length];
        for (int p = 0; p < mask.length; p++) {
            double m = Math.max(0, Math.min(1, mask[p]));
            double diffuse = setup.ambient(), specular = 0;
            if (m > 0) {
                double nx = normal[3 * p], ny = normal[3 * p + 1], nz = normal[3 * p + 2], d = 0;
                for (int i = 0; i < l; i++) {
                    double[] dir = k.dirs(), half = k.halves();
                    d += k.weights()[i] * Math.max(0, nx * dir[3 * i] + ny * dir[3 * i + 1] + nz * dir[3 * i + 2]);
                    double h = Math.max(0, nx * half[3 * i] + ny * half[3 * i + 1] + nz * half[3 * i + 2]);
                    specular += k.weights()[i] * (integral ? powInt(h, (int) setup.shininess()) : Math.pow(h, setup.shininess()));
                }
                diffuse += d;
            }
            for (int c = 0; c < 3; c++) {
                double bg = background[3 * p + c];
                double lit = albedo[3 * p + c] * diffuse + specular * setup.specular();
                double v = bg + m * (lit - bg);
                out[3 * p + c] = (byte) Math.round(255 * Math.max(0, Math.min(1, v)));
            }
        }
        return out;
    }

    /** x^n by repeated squaring (Math.pow costs several times more, per light and pixel). */
    private static double powInt(double x, int n) {
        double r = 1;
        for (double b = x; n > 0; n >>= 1, b *= b) {
            if ((n & 1) != 0) r *= b;
        }
        return r;
    }

    /**
     * The lights as unit vectors: {@code dirs} [L, 3] towards each light, {@code halves} [L, 3] halfway between
     * that and the viewer at +z (Blinn-Phong), {@code weights} [L] intensities.
     */
    private record LightFrame(double[] dirs, double[] halves, double[] weights) {
        static LightFrame of(Setup setup) {
            int l = setup.lights().size();
            double[] dirs = new double[3 * l], halves = new double[3 * l], weights = new double[l];
            for (int i = 0; i < l; i++) {
                Light light = setup.lights().get(i);
                double[] d = light.direction();
                double len = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                double[] h = {d[0] / len, d[1] / len, d[2] / len + 1};
                double hl = Math.sqrt(h[0] * h[0] + h[1] * h[1] + h[2] * h[2]);
                for (int c = 0; c < 3; c++) {
                    dirs[3 * i + c] = d[c] / len;
                    halves[3 * i + c] = h[c] / hl;
                }
                weights[i] = light.intensity();
            }
            return new LightFrame(dirs, halves, weights);
        }
    }
}
