package dev.expportrait.tensor;

/** Learning-rate schedules of the project's trainers. */
public final class LearningRate {
    private LearningRate() {}

    /** Step {@code step} (0-based) of {@code steps}: linear warm-up over {@code warmup} steps to {@code peak}, then cosine to 5% of it. */
    public static double warmupCosine(double peak, int warmup, int steps, int step) {
        if (step < warmup) return peak * (step + 1) / (warmup + 1);
        double progress = (step - warmup) / (double) Math.max(1, steps - warmup);
        return peak * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
    }
}
