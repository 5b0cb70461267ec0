package dev.expportrait.synth;

/**
 * Deterministic smooth noise for procedural textures: lattice value noise in 3-D (random values at integer
 * points, blended with smoothstep weights) and a sum of octaves of it. Evaluated on 3-D surface positions, so
 * a texture painted with it has no seams where the UV layout is cut. Pure functions of the seed and the point.
 */
final class ValueNoise {
    private ValueNoise() {}

    /** A uniform value in [0, 1) for lattice point (x, y, z) under {@code seed} (SplitMix64 finaliser). */
    static double hash(long seed, long x, long y, long z) {
        long h = seed * 0x9E3779B97F4A7C15L + x * 0xBF58476D1CE4E5B9L + y * 0x94D049BB133111EBL + z * 0xD6E8FEB86659FD93L;
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Value noise in [0, 1] at (x, y, z), in lattice units: smooth, varying on a scale of 1. */
    static double at(long seed, double x, double y, double z) {
        long x0 = (long) Math.floor(x), y0 = (long) Math.floor(y), z0 = (long) Math.floor(z);
        double fx = fade(x - x0), fy = fade(y - y0), fz = fade(z - z0);
        double sum = 0;
        for (int c = 0; c < 8; c++) {
            int dx = c & 1, dy = (c >> 1) & 1, dz = c >> 2;
            double w = (dx == 1 ? fx : 1 - fx) * (dy == 1 ? fy : 1 - fy) * (dz == 1 ? fz : 1 - fz);
            sum += w * hash(seed, x0 + dx, y0 + dy, z0 + dz);
        }
        return sum;
    }

    /**
     * {@code octaves} octaves of value noise, each at twice the frequency and half the amplitude of the one
     * before, normalised back to [0, 1]; (x, y, z) in units of the coarsest octave.
     */
    static double fractal(long seed, double x, double y, double z, int octaves) {
        double sum = 0, amplitude = 1, total = 0, f = 1;
        for (int o = 0; o < octaves; o++) {
            sum += amplitude * at(seed + o, x * f, y * f, z * f);
            total += amplitude;
            amplitude *= 0.5;
            f *= 2;
        }
        return sum / total;
    }

    private static double fade(double t) {
        return t * t * (3 - 2 * t);
    }
}
