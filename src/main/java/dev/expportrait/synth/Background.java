package dev.expportrait.synth;

import java.util.Random;

/**
 * What is behind the person: a solid colour, a gradient between two colours (top to bottom or along a
 * diagonal), or a soft texture of smooth noise blobs between two colours.
 *
 * @param kind which of these
 * @param from [3] RGB in [0, 1]: the solid colour, the gradient's start (top, or the top-left corner), or the texture's base
 * @param to [3] the gradient's end, or the blobs' colour (unused for solid)
 * @param blobScale blob size as a fraction of the image width (textured only)
 * @param seed noise seed (textured only)
 */
public record Background(Kind kind, float[] from, float[] to, double blobScale, long seed) {

    public enum Kind { SOLID, VERTICAL, DIAGONAL, TEXTURED }

    /** A background drawn from {@code r}: muted studio colours, each kind about equally often. */
    static Background sample(Random r) {
        Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
        float[] a = muted(r), b = muted(r);
        return new Background(kind, a, b, 0.15 + 0.25 * r.nextDouble(), r.nextLong());
    }

    /** The image [H, W, 3], RGB in [0, 1], row 0 at the top. */
    public float[] image(int width, int height) {
        float[] out = new float[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double t = switch (kind) {
                    case SOLID -> 0;
                    case VERTICAL -> (y + 0.5) / height;
                    case DIAGONAL -> ((x + 0.5) / width + (y + 0.5) / height) / 2;
                    case TEXTURED -> textured((x + 0.5) / width, (y + 0.5) / width);
                };
                int p = (y * width + x) * 3;
                for (int c = 0; c < 3; c++) out[p + c] = (float) (from[c] + t * (to[c] - from[c]));
            }
        }
        return out;
    }

    /** Blob weight in [0, 1] at image position (x, y) in widths: a soft threshold of two octaves of noise. */
    private double textured(double x, double y) {
        double n = ValueNoise.fractal(seed, x / blobScale, y / blobScale, 0.5, 2);
        return Smooth.step(0.35, 0.65, n);
    }

    private static float[] muted(Random r) {
        float grey = (float) (0.15 + 0.6 * r.nextDouble());
        return new float[] {grey * (float) (0.85 + 0.3 * r.nextDouble()), grey * (float) (0.85 + 0.3 * r.nextDouble()),
            grey * (float) (0.85 + 0.3 * r.nextDouble())};
    }
}
