package dev.expportrait.gen;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;

/**
 * The DDPM noise schedule of the noise-prediction objective (Eq. 10): betas linear from {@code betaStart} to
 * {@code betaEnd} over {@code steps} timesteps, alpha-bar_t = prod_{s <= t} (1 - beta_s), and the forward
 * process z_t = sqrt(alpha-bar_t) z_0 + sqrt(1 - alpha-bar_t) eps, eps ~ N(0, I). Timesteps are 0-based.
 * A schedule is a value: samplers and networks take it, not the other way round.
 */
public record NoiseSchedule(int steps, double betaStart, double betaEnd, double[] alphaBar) {

    /** DDPM's linear schedule (1e-4 to 0.02 over 1000 steps). */
    public static NoiseSchedule linear(int steps, double betaStart, double betaEnd) {
        if (steps < 2 || !(betaStart > 0) || !(betaEnd >= betaStart) || betaEnd >= 1) {
            throw new IllegalArgumentException("schedule out of range: " + steps + " steps, betas " + betaStart + " to " + betaEnd);
        }
        double[] ab = new double[steps];
        double prod = 1;
        for (int t = 0; t < steps; t++) {
            double beta = betaStart + (betaEnd - betaStart) * t / (steps - 1);
            prod *= 1 - beta;
            ab[t] = prod;
        }
        return new NoiseSchedule(steps, betaStart, betaEnd, ab);
    }

    public static NoiseSchedule ddpm() {
        return linear(1000, 1e-4, 0.02);
    }

    /** alpha-bar of timestep t; 1 for t = -1 (the clean signal). */
    public double alphaBar(int t) {
        return t < 0 ? 1 : alphaBar[t];
    }

    /**
     * The forward process q(z_t | z_0) for one timestep per batch element.
     *
     * @param clean z_0 [B, ...]
     * @param noise eps, same shape
     * @param timesteps [B] 0-based timesteps
     */
    public Tensor addNoise(Tensor clean, Tensor noise, int[] timesteps) {
        long b = clean.size(0);
        if (timesteps.length != b) throw new IllegalArgumentException(timesteps.length + " timesteps for a batch of " + b);
        float[] a = new float[timesteps.length], s = new float[timesteps.length];
        for (int i = 0; i < timesteps.length; i++) {
            a[i] = (float) Math.sqrt(alphaBar(timesteps[i]));
            s[i] = (float) Math.sqrt(1 - alphaBar(timesteps[i]));
        }
        long[] shape = new long[(int) clean.dim()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = b;
        return clean.mul(Tensors.floats(a, shape)).add(noise.mul(Tensors.floats(s, shape)));
    }

    /** A deterministic DDIM step (eta = 0) from timestep t to {@code previous} (-1 for the clean signal) given eps. */
    public Tensor ddimStep(Tensor noisy, Tensor predictedNoise, int t, int previous) {
        double a = alphaBar(t), ap = alphaBar(previous);
        Tensor clean = noisy.sub(predictedNoise.mul(scalar(Math.sqrt(1 - a)))).div(scalar(Math.sqrt(a)));
        return clean.mul(scalar(Math.sqrt(ap))).add(predictedNoise.mul(scalar(Math.sqrt(1 - ap))));
    }

    /** {@code n} timesteps from the last down to 0, evenly spaced (DDIM's sampling grid). */
    public int[] ddimTimesteps(int n) {
        return ddimTimesteps(n, steps - 1);
    }

    /** {@code n} timesteps from {@code first} down towards 0, evenly spaced (at least 1 apart, so distinct). */
    public int[] ddimTimesteps(int n, int first) {
        if (first < 0 || first >= steps) throw new IllegalArgumentException("first timestep " + first + ": must be 0 to " + (steps - 1));
        int most = Math.max(1, first);
        if (n < 1 || n > most) throw new IllegalArgumentException(n + " sampling steps from timestep " + first + ": must be 1 to " + most);
        int[] ts = new int[n];
        for (int i = 0; i < n; i++) ts[i] = (int) Math.round(first * (1 - i / (double) n));
        return ts;
    }
}
