package dev.expportrait.synth;

/** Smooth scalar building blocks for the synthetic detail fields (windows, bumps, grooves, soft maxima). */
final class Smooth {
    private Smooth() {}

    static double clamp(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    /** Hermite smoothstep from 0 at e0 to 1 at e1 (e1 may be below e0 for a falling edge). */
    static double step(double e0, double e1, double x) {
        double t = clamp((x - e0) / (e1 - e0), 0, 1);
        return t * t * (3 - 2 * t);
    }

    /** A smooth window: rises over [a, b], falls over [c, d]. */
    static double window(double a, double b, double c, double d, double x) {
        return step(a, b, x) * (1 - step(c, d, x));
    }

    /** Unnormalised Gaussian exp(-d^2 / (2 sigma^2)) of a distance d. */
    static double gauss(double d, double sigma) {
        return Math.exp(-d * d / (2 * sigma * sigma));
    }

    /**
     * A narrow periodic groove profile in [0, 1]: 1 at phase 0 (mod 2 pi), falling to 0 between grooves.
     * Raising the cosine to a power sharpens the creases the way skin folds are sharper than a sine.
     */
    static double groove(double phase, int sharpness) {
        return Math.pow(0.5 + 0.5 * Math.cos(phase), sharpness);
    }

    /**
     * A soft maximum of non-negative activations, the 4-norm capped at 1: exactly 0 when all are 0,
     * close to the largest one otherwise, and growing when several drive the same fold together.
     */
    static double softMax(double... a) {
        double s = 0;
        for (double x : a) {
            double p = Math.max(0, x);
            s += p * p * p * p;
        }
        return Math.min(1, Math.sqrt(Math.sqrt(s)));
    }
}
