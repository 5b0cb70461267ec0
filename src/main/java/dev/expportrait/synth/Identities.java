package dev.expportrait.synth;

import dev.expportrait.head.HeadModel;
import java.util.SplittableRandom;

/** Samples random synthetic identities, deterministically from a seed. */
public final class Identities {
    private Identities() {}

    /** Deepest expression wrinkles, for the oldest identities (metres). */
    static final double MAX_WRINKLE_DEPTH = 1.9e-3;

    /** Samples an identity for {@code model}'s shape space; the same seed gives the same identity. */
    public static Identity sample(long seed, HeadModel model) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] betas = new float[model.numShape()];
        for (int i = 0; i < betas.length; i++) {
            betas[i] = (float) Smooth.clamp(0.8 * gaussian(r), -2.5, 2.5);
        }
        double age = 5 + 75 * r.nextDouble();
        HairStyle hair = HairStyle.values()[r.nextInt(HairStyle.values().length)];
        double softness = r.nextDouble();
        return new Identity(
                seed, betas, age, hair, hairThickness(hair, r),
                wrinkleDepth(age, softness), softness,
                3 + r.nextInt(3),
                2 * Math.PI * r.nextDouble(),
                2 + 8 * r.nextDouble(),
                1.5e-3 * r.nextDouble(),
                2.0e-3 * r.nextDouble(),
                -2.5e-3 + 5e-3 * r.nextDouble(),
                -0.8 + 1.6 * r.nextDouble(),
                0.2 + 0.6 * r.nextDouble(),
                5 + r.nextInt(6),
                2 * Math.PI * r.nextDouble(),
                3e-3 + 4e-3 * r.nextDouble());
    }

    /**
     * Age-driven wrinkle depth (metres): skin barely creases before ~15, creases deepen through adulthood and
     * are deepest past ~75; softer skin creases slightly less.
     */
    static double wrinkleDepth(double age, double softness) {
        double aged = Smooth.step(15, 78, age);
        return (0.02e-3 + MAX_WRINKLE_DEPTH * aged) * (1.1 - 0.2 * softness);
    }

    private static double hairThickness(HairStyle hair, SplittableRandom r) {
        return switch (hair) {
            case SHORT -> 3e-3 + 5e-3 * r.nextDouble();
            case BOB -> 12e-3 + 8e-3 * r.nextDouble();
            case LONG -> 14e-3 + 10e-3 * r.nextDouble();
            case BUN -> 5e-3 + 4e-3 * r.nextDouble();
            case BALD -> 0;
        };
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller: SplittableRandom has no nextGaussian in Java 17.
        double u = 1 - r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
