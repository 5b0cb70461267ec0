package dev.expportrait.gen;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.tensor.BatchShards;
import dev.expportrait.tensor.Tensors;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * DDIM sampling (eta = 0) of the generator with classifier-free guidance on the reference (Sec. 3.3): at each
 * step eps = eps(z_t, null reference) + w (eps(z_t, reference) - eps(z_t, null reference)); w = 1 is the plain
 * conditional model (one pass per step). The starting noise comes from a Java generator of {@code seed}, so a
 * seed gives the same video on any machine.
 */
public final class Sampler {
    /** The guidance scale and start timestep that scored best in bench/gen.sh (BENCHMARKS.md): gen sample's, the demo's and the training strips' defaults. */
    public static final double DEFAULT_GUIDANCE = 2.0;
    public static final int DEFAULT_START = 600;

    private final NoiseSchedule schedule;
    private final int steps;
    private final double guidance;
    private final int start;

    /**
     * @param steps DDIM steps (1 to the schedule's timesteps)
     * @param guidance w, the guidance scale on the reference (1: none)
     */
    public Sampler(NoiseSchedule schedule, int steps, double guidance) {
        this(schedule, steps, guidance, schedule.steps() - 1);
    }

    /**
     * @param start the timestep sampling starts at: the last (from pure noise), or an earlier one, from the
     *     reference's latent (every latent frame) noised to it by the forward process (SDEdit): the
     *     noise-prediction network's estimate of z_0 is poor at the last timesteps (the predicted noise's error
     *     is multiplied by sqrt((1 - alpha-bar) / alpha-bar), 150 at t = 999), and the reference gives the
     *     colours and background those steps would otherwise have to guess
     */
    public Sampler(NoiseSchedule schedule, int steps, double guidance, int start) {
        if (start < 0 || start >= schedule.steps()) throw new IllegalArgumentException("start timestep " + start + ": must be 0 to " + (schedule.steps() - 1));
        schedule.ddimTimesteps(steps, start); // checks the range
        if (!(guidance >= 0) || !Double.isFinite(guidance)) throw new IllegalArgumentException("guidance " + guidance + " must be at least 0");
        this.schedule = schedule;
        this.steps = steps;
        this.guidance = guidance;
        this.start = start;
    }

    /**
     * A video [B, 3, T, H, W] in [-1, 1] following the control video [B, 3, T, H, W] (normal maps) with the
     * appearance of the reference image [B, 3, 1, H, W].
     */
    public Tensor sample(Generator g, Tensor control, Tensor reference, long seed) {
        try (NoGradGuard guard = new NoGradGuard()) {
            long[] s = Tensors.shape(control);
            int z = g.sizes().vae().latent(), lt = VideoVae.latentFrames((int) s[2]);
            Generator.Conditions c = g.conditions(control, reference);
            long f = 1L << g.sizes().vae().downs();
            Tensor x = gaussian(new SplittableRandom(seed), s[0], z, lt, s[3] / f, s[4] / f);
            int[] ts = schedule.ddimTimesteps(steps, start);
            int[] batch = new int[(int) s[0]];
            if (start < schedule.steps() - 1) {
                java.util.Arrays.fill(batch, start);
                Tensor referenceVideo = g.latents(reference).expand(s[0], z, lt, s[3] / f, s[4] / f).contiguous();
                x = schedule.addNoise(referenceVideo, x, batch);
            }
            // With guidance, the conditional and the unconditional predictions as one batch of 2B (the second half's
            // reference dropped, as in training), its shards on parallel threads: each shard's libtorch single-threaded,
            // which these small operations use better than two threads inside each (BatchShards).
            int b = (int) s[0], n = guidance != 1 ? 2 * b : b;
            boolean[] dropped = new boolean[n];
            for (int k = b; k < n; k++) dropped[k] = true;
            Generator.Conditions both = n == b ? c : new Generator.Conditions(Tensors.cat(0, c.pose(), c.pose()), Tensors.cat(0, c.reference(), c.reference()));
            BatchShards shards = new BatchShards(n, torch.get_num_threads());
            int[] times = new int[n];
            for (int i = 0; i < ts.length; i++) {
                java.util.Arrays.fill(times, ts[i]);
                Tensor next;
                try (PointerScope scope = new PointerScope()) { // one step's activations at a time
                    Tensor noisy = n == b ? x : Tensors.cat(0, x, x);
                    Tensor predicted = shards.map(n, (from, count) -> g.predictNoise(noisy.narrow(0, from, count), java.util.Arrays.copyOfRange(times, from, from + count),
                            new Generator.Conditions(both.pose().narrow(0, from, count), both.reference().narrow(0, from, count)),
                            java.util.Arrays.copyOfRange(dropped, from, from + count)));
                    Tensor eps = predicted.narrow(0, 0, b);
                    if (n > b) {
                        Tensor uncond = predicted.narrow(0, b, b);
                        eps = uncond.add(eps.sub(uncond).mul(scalar(guidance)));
                    }
                    next = Tensors.keep(schedule.ddimStep(x, eps, ts[i], i + 1 < ts.length ? ts[i + 1] : -1)); // outlives the scope
                }
                if (i > 0) x.releaseReference(); // kept by the previous step; the first is the caller's
                x = next;
            }
            Tensor video = g.decode(x);
            if (ts.length > 0) x.releaseReference();
            return video;
        }
    }

    /** Standard normal values of {@code shape} from {@code r}. */
    public static Tensor gaussian(SplittableRandom r, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Tensors.floats(v, shape);
    }
}
