package dev.expportrait.synth;

import dev.expportrait.head.Regions;
import java.util.Random;

/**
 * A synthetic person's colours: skin tone, hair, lips, eyes and clothing as per-vertex albedo by region,
 * and a background colour. A first, plain appearance: no procedural texture yet (pores, freckles,
 * clothing patterns are still to come).
 *
 * @param skin [3] linear RGB in [0, 1]; the others likewise
 */
public record Appearance(float[] skin, float[] hair, float[] lips, float[] eyes, float[] clothing, float[] background) {

    /** Colours drawn from the seed: skin tones from light to dark, natural hair colours, any clothing. */
    public static Appearance sample(long seed) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        double tone = r.nextDouble(); // 0 light .. 1 dark
        float[] skin = {(float) (0.86 - 0.52 * tone), (float) (0.68 - 0.44 * tone), (float) (0.58 - 0.40 * tone)};
        float[][] hairs = {{0.08f, 0.06f, 0.05f}, {0.25f, 0.16f, 0.10f}, {0.55f, 0.40f, 0.22f}, {0.70f, 0.62f, 0.45f}, {0.62f, 0.60f, 0.58f}};
        float[] hair = hairs[r.nextInt(hairs.length)];
        float[] lips = {skin[0] * 0.92f, skin[1] * 0.62f, skin[2] * 0.62f};
        float[] eyes = {0.86f, 0.86f, 0.84f};
        float[] clothing = {(float) (0.1 + 0.8 * r.nextDouble()), (float) (0.1 + 0.8 * r.nextDouble()), (float) (0.1 + 0.8 * r.nextDouble())};
        float grey = (float) (0.15 + 0.6 * r.nextDouble());
        float[] background = {grey, grey * (float) (0.9 + 0.2 * r.nextDouble()), grey * (float) (0.9 + 0.2 * r.nextDouble())};
        return new Appearance(skin, hair, lips, eyes, clothing, background);
    }

    /** Albedo [Vd, 3] from dense region labels [Vd] (indices into {@link Regions#NAMES}). */
    public float[] vertexColors(int[] regions) {
        float[] out = new float[regions.length * 3];
        for (int v = 0; v < regions.length; v++) {
            float[] c = switch (regions[v]) {
                case Regions.SCALP -> hair;
                case Regions.LIPS -> lips;
                case Regions.EYES -> eyes;
                case Regions.SHOULDERS -> clothing;
                default -> skin;
            };
            System.arraycopy(c, 0, out, v * 3, 3);
        }
        return out;
    }
}
