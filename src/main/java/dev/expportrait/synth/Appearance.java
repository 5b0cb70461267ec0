package dev.expportrait.synth;

import java.util.Random;

/**
 * A synthetic person's looks, drawn from the identity seed: the colours and amounts that {@link AlbedoTexture}
 * paints into the UV texture, and the {@link Background} behind them. Colours are RGB in [0, 1].
 *
 * @param skin [3] base skin tone, light to dark
 * @param hair [3] hair colour (the skin tone for bald identities)
 * @param brows [3] eyebrow colour, a darker shade of the hair
 * @param lips [3] lip colour
 * @param iris the iris colour from a palette
 * @param clothing [3] main clothing colour
 * @param accent [3] the pattern's second colour
 * @param pattern clothing pattern
 * @param patternPeriod pattern repeat, metres
 * @param patternPhase pattern offset, as a fraction of the period
 * @param freckles freckle density, 0 (none) to 1
 * @param blush cheek blush strength, 0..1
 * @param textureSeed seed of the texture's noise (pores, streaks, freckle positions)
 * @param background what is behind the person
 */
public record Appearance(float[] skin, float[] hair, float[] brows, float[] lips, Iris iris, float[] clothing, float[] accent,
                         Pattern pattern, double patternPeriod, double patternPhase, double freckles, double blush,
                         long textureSeed, Background background) {

    /** Iris colours. */
    public enum Iris {
        BROWN(0.33f, 0.20f, 0.11f), BLUE(0.30f, 0.45f, 0.65f), GREEN(0.30f, 0.47f, 0.30f), GREY(0.48f, 0.50f, 0.52f),
        HAZEL(0.50f, 0.38f, 0.18f);

        final float[] rgb;

        Iris(float r, float g, float b) {
            this.rgb = new float[] {r, g, b};
        }

        /** [3] the colour (a copy). */
        public float[] rgb() {
            return rgb.clone();
        }
    }

    /** Clothing patterns: plain, horizontal stripes, checks, polka dots. */
    public enum Pattern { SOLID, STRIPES, CHECKS, DOTS }

    private static final float[][] HAIR = {
        {0.08f, 0.06f, 0.05f}, {0.25f, 0.16f, 0.10f}, {0.55f, 0.40f, 0.22f}, {0.70f, 0.62f, 0.45f}, {0.62f, 0.60f, 0.58f},
        {0.50f, 0.20f, 0.10f}};

    /** The looks of {@code identity}: drawn from its seed, with a skin-coloured scalp when it is bald. */
    public static Appearance of(Identity identity) {
        return sample(identity.seed(), identity.hairStyle() == HairStyle.BALD);
    }

    /** The looks of identity {@code seed}; {@code bald} paints the scalp in skin tone. */
    public static Appearance sample(long seed, boolean bald) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        double tone = r.nextDouble(); // 0 light .. 1 dark
        float[] skin = {(float) (0.86 - 0.52 * tone), (float) (0.68 - 0.44 * tone), (float) (0.58 - 0.40 * tone)};
        float[] hair = HAIR[r.nextInt(HAIR.length)];
        float[] brows = scale(hair, 0.7f);
        if (bald) hair = skin;
        float redness = (float) (0.85 + 0.1 * r.nextDouble());
        float[] lips = {skin[0] * redness, skin[1] * 0.58f, skin[2] * 0.62f};
        Iris iris = Iris.values()[r.nextInt(Iris.values().length)];
        float[] clothing = fabric(r);
        // The accent differs from the base mostly in lightness: H.264's half-resolution chroma would smear
        // fine patterns of two strongly different hues (red dots on green lose ~5 dB).
        float[] accent = r.nextBoolean() ? scale(clothing, 0.45f) : mix(clothing, new float[] {1, 1, 1}, 0.6f);
        Pattern pattern = Pattern.values()[r.nextInt(Pattern.values().length)];
        double period = 0.025 + 0.035 * r.nextDouble();
        double phase = r.nextDouble();
        // Freckles mostly on lighter skin, on about a third of the identities.
        double freckles = r.nextDouble() < 0.35 * (1.2 - tone) ? 0.3 + 0.7 * r.nextDouble() : 0;
        double blush = 0.2 + 0.6 * r.nextDouble();
        long textureSeed = r.nextLong();
        return new Appearance(skin, hair, brows, lips, iris, clothing, accent, pattern, period, phase, freckles, blush,
                textureSeed, Background.sample(r));
    }

    /** Whether the scalp is painted as skin (the hair colour is the skin tone). */
    public boolean bald() {
        return java.util.Arrays.equals(hair, skin);
    }

    /** A fabric colour: any hue, moderately saturated (HSV saturation 0.15-0.6, value 0.3-0.85). */
    private static float[] fabric(Random r) {
        double hue = 6 * r.nextDouble(), sat = 0.15 + 0.45 * r.nextDouble(), value = 0.3 + 0.55 * r.nextDouble();
        float[] c = new float[3];
        for (int k = 0; k < 3; k++) {
            // HSV to RGB: channel k peaks at hue 0 (red), 4 (blue), 2 (green) with triangular ramps.
            double centre = new double[] {0, 2, 4}[k];
            double d = Math.abs(((hue - centre) % 6 + 9) % 6 - 3); // circular distance from the peak, 0..3
            c[k] = (float) (value * (1 - sat * (1 - Smooth.clamp(d - 1, 0, 1))));
        }
        return c;
    }

    private static float[] mix(float[] a, float[] b, float t) {
        return new float[] {a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])};
    }

    private static float[] scale(float[] c, float s) {
        return new float[] {c[0] * s, c[1] * s, c[2] * s};
    }
}
