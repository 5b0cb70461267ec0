import dev.expportrait.gen.ReferencePaste;
import dev.expportrait.gen.GenTrainConfig;
import dev.expportrait.gen.GenTrainer;
import dev.expportrait.gen.Generator;
import dev.expportrait.gen.GeneratorFile;
import dev.expportrait.gen.Reenactment;
import dev.expportrait.gen.VideoClips;
import dev.expportrait.gen.GenOutputs;
import dev.expportrait.gen.LatentCache;
import dev.expportrait.gen.NoiseSchedule;
import dev.expportrait.gen.Sampler;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Benchmark of the video generator (issue #7). Held-out synthetic identities (synth seed 9100, used by no
 * training recipe and no test), self-reenactment: the reference is frame 0 of each clip, the control the
 * ground-truth normal maps of frames START .. START + 8 (24 by default: by then the head has moved and
 * changed expression, so the reference alone is a poor answer), the target the true frames. Rows: generated (DDIM, each
 * guidance scale asked for), the VAE reconstruction of the true frames (the ceiling: the generator decodes
 * through this VAE) and the reference repeated (the floor). Then the training throughput of the denoiser
 * (training steps of a batch of 4 windows of 9 frames, run as {@code gen train} runs them: the batch's shards on the
 * cores at once; FLOPs of the trained part counted analytically, 3x the
 * forward's but 2x in the encoders' first convolutions, which need no input gradient; the frozen VAE's latents read from a {@link LatentCache} filled before, as a long run holds it, the
 * fill's one-time cost printed)
 * against a float32 matrix product of the DiT's MLP size, measured in the same run, and sampling time per frame
 * (after one warm-up generation, which is not timed).
 *
 * <p>Moved PSNR ({@link Reenactment.Metrics}) is over the pixels where the true frame differs from the reference by more than 16/255 in some
 * channel: the synthetic camera and background are fixed, so a copy of the reference is right nearly everywhere
 * and the whole-frame floor is high; where the head has moved the copy is wrong, and following the control is
 * what counts. Variants: each guidance scale and start timestep asked for (999: from pure noise; lower: from the
 * reference's latent noised to it), each as the generator's own frames, with the reference's background kept outside
 * the heads, and with the reference's pixels kept wherever the control is unchanged ({@link ReferencePaste}, what
 * {@code gen sample} does with a clip).
 */
public class GenBench {
    public static void main(String[] args) {
        Tensors.init();
        Path model = Path.of(args[0]);
        VideoClips clips = VideoClips.load(List.of(Path.of(args[1])));
        int steps = Integer.parseInt(args[2]), start = Integer.parseInt(args[4]);
        GeneratorFile.Contents c = GeneratorFile.read(model);
        Generator g = c.generator();
        int n = c.frames(), w = c.width(), h = c.height();
        System.out.printf(Locale.ROOT, "generator %s: VAE %,d + denoiser %,d parameters; %d held-out clips, frames %d-%d, reference frame 0, %d DDIM steps%n%n",
                model, g.vae().parameterCount(), g.denoiserParameterCount(), clips.clips().size(), start, start + n - 1, steps);
        System.out.println("| variant | PSNR dB | SSIM | L1 | moved PSNR dB | s/frame |");
        System.out.println("|---|---|---|---|---|---|");
        String[] starts = args.length > 5 ? args[5].split(",") : new String[] {"999"};
        new Reenactment(g, new Sampler(NoiseSchedule.ddpm(), steps, Sampler.DEFAULT_GUIDANCE, Sampler.DEFAULT_START), n).run(input(clips.clips().get(0), start, n), 1, w, h); // warm-up, not timed
        for (String st : starts) {
            for (String gs : args[3].split(",")) {
                double guidance = Double.parseDouble(gs);
                Sampler sampler = new Sampler(NoiseSchedule.ddpm(), steps, guidance, Integer.parseInt(st));
                int[] tolerances = {-1, ReferencePaste.TOLERANCE};
                double[] m = new double[5];
                double[][] pasted = new double[tolerances.length][5];
                for (VideoClips.Clip clip : clips.clips()) {
                    Reenactment.Input in = input(clip, start, n);
                    Reenactment.Result r = new Reenactment(g, sampler, n).run(in.withoutReferenceControl(), 1, w, h);
                    add(m, r.metrics(), r.seconds() / n, clips.clips().size());
                    for (int k = 0; k < tolerances.length; k++) {
                        List<byte[]> kept = ReferencePaste.apply(r.frames(), in.control(), in.referenceControl(), in.reference(), w, h, tolerances[k]);
                        add(pasted[k], Reenactment.Metrics.of(kept, in.truth(), in.reference(), w, h), Double.NaN, clips.clips().size());
                    }
                }
                String name = "generated, guidance " + gs + ", from " + (st.equals("999") ? "noise" : "the reference at t = " + st);
                row(name, m);
                row(name + ", the reference's background kept", pasted[0]);
                row(name + ", the reference kept where the control is unchanged (the default)", pasted[1]);
            }
        }
        double[] ceiling = new double[5], ceilingPasted = new double[5], floor = new double[5];
        for (VideoClips.Clip clip : clips.clips()) {
            Reenactment.Input in = input(clip, start, n);
            List<byte[]> recon;
            try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
                Tensor v = VideoClips.video(in.truth(), w, h);
                recon = GenOutputs.frames(g.decode(g.latents(v)), 0);
            }
            add(ceiling, Reenactment.Metrics.of(recon, in.truth(), in.reference(), w, h), Double.NaN, clips.clips().size());
            List<byte[]> reconPasted = ReferencePaste.apply(recon, in.control(), in.referenceControl(), in.reference(), w, h, ReferencePaste.TOLERANCE);
            add(ceilingPasted, Reenactment.Metrics.of(reconPasted, in.truth(), in.reference(), w, h), Double.NaN, clips.clips().size());
            List<byte[]> repeated = Collections.nCopies(n, in.reference());
            add(floor, Reenactment.Metrics.of(repeated, in.truth(), in.reference(), w, h), Double.NaN, clips.clips().size());
        }
        row("VAE reconstruction (ceiling)", ceiling);
        row("VAE reconstruction, the reference kept where the control is unchanged", ceilingPasted);
        row("reference repeated (floor)", floor);
        throughput(g, clips, n, w, h);
    }

    static Reenactment.Input input(VideoClips.Clip clip, int start, int n) {
        return new Reenactment.Input(clip.name(), clip.width(), clip.height(), List.of(clip.normals()).subList(start, start + n), clip.rgb()[0], clip.normals()[0],
                List.of(clip.rgb()).subList(start, start + n));
    }

    static void add(double[] m, Reenactment.Metrics x, double secondsPerFrame, int count) {
        m[0] += x.psnr() / count;
        m[1] += x.ssim() / count;
        m[2] += x.l1() / count;
        m[3] += x.movedPsnr() / count;
        m[4] += secondsPerFrame / count;
    }

    static void row(String name, double[] m) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.4f | %.4f | %.2f | %s |%n", name, m[0], m[1], m[2], m[3],
                Double.isNaN(m[4]) ? "-" : String.format(Locale.ROOT, "%.3f", m[4]));
    }

    /**
     * FLOPs of the trained part of one denoiser training step per window: the backward pass costs twice the forward
     * (the gradients of the inputs and of the weights), except in the encoders' first convolutions, whose input is
     * data and gets no gradient.
     */
    static double trainingFlops(Generator.Sizes s, int frames, int h, int w) {
        double firstConvs = conv(3, s.encoderWidth(), 27, (long) frames * h * w) + conv(3, s.encoderWidth(), 9, (long) h * w);
        return 3 * denoiserFlops(s, frames, h, w) - firstConvs;
    }

    /** Forward FLOPs of the trained part of one denoiser training step (pose and reference encoders, DiT) per window. */
    static double denoiserFlops(Generator.Sizes s, int frames, int h, int w) {
        int lt = 1 + (frames - 1) / 4, hl = h / 4, wl = w / 4;
        int e = s.encoderWidth();
        // Pose encoder (causal 3D): in 3->e k3x3x3 at full size and all frames; down1 e->e stride 2 (time and space); down2 e->2e; out 2e->Cp k1x3x3.
        int t1 = 1 + (frames - 1) / 2;
        double pose = conv(3, e, 27, frames * h * w) + conv(e, e, 27, t1 * (h / 2) * (w / 2)) + conv(e, 2 * e, 27, lt * hl * wl)
                + conv(2 * e, s.poseChannels(), 9, lt * hl * wl);
        // Reference encoder (2D, one frame).
        double ref = conv(3, e, 9, h * w) + conv(e, e, 9, (h / 2) * (w / 2)) + conv(e, 2 * e, 9, hl * wl) + conv(2 * e, s.referenceChannels(), 9, hl * wl);
        int tokens = lt * (hl / 2) * (wl / 2), refTokens = (hl / 2) * (wl / 2), all = tokens + refTokens, d = s.hidden();
        double embed = 2.0 * tokens * 4 * (s.vae().latent() + s.poseChannels()) * d + 2.0 * refTokens * 4 * (s.vae().latent() + s.referenceChannels()) * d;
        double blocks = s.depth() * (24.0 * d * d * all + 4.0 * all * all * d);
        double out = 2.0 * tokens * d * 4 * s.vae().latent();
        return pose + ref + embed + blocks + out;
    }

    static double conv(int in, int out, int kernel, long outputs) {
        return 2.0 * in * out * kernel * outputs;
    }

    static void throughput(Generator g, VideoClips clips, int frames, int w, int h) {
        int batch = 4, reps = 12;
        var quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        // The frozen VAE's latents as a long run holds them: every window encoded once (a one-time cost, printed).
        LatentCache cache = new LatentCache(g.vae(), frames, LatentCache.DEFAULT_BYTES);
        long f0 = System.nanoTime();
        cache.fill(clips);
        double fillSeconds = (System.nanoTime() - f0) / 1e9;
        GenTrainConfig warm = GenTrainConfig.denoiserDefaults().withBatch(batch, frames).withSteps(3).withValidation(0).withEvery(1000, 1000, 0);
        new GenTrainer(warm, GenTrainer.Stage.DENOISER).withLatentCache(cache).train(g, clips, null, Map.of(), quiet, null); // first calls, not timed
        // The matrix product of the DiT's MLP (tokens of the batch x hidden by hidden x 4 hidden), same threads.
        int lt = 1 + (frames - 1) / 4, tokens = batch * (lt + 1) * (h / 8) * (w / 8), d = g.sizes().hidden();
        Tensor a = torch.randn(tokens, d), b = torch.randn(d, 4 * d);
        double mmFlops = 2.0 * tokens * d * 4 * d, flops = batch * trainingFlops(g.sizes(), frames, h, w);
        // This VM's speed drifts by a quarter within minutes: three timed runs, each followed by a burst of the
        // matrix product, and the medians of both.
        int n = 3;
        double[] step = new double[n], product = new double[n];
        for (int k = 0; k < n; k++) {
            GenTrainConfig cfg = GenTrainConfig.denoiserDefaults().withBatch(batch, frames).withSteps(reps).withValidation(0).withEvery(1000, 1000, 0).withSeed(2 + k);
            step[k] = batch / new GenTrainer(cfg, GenTrainer.Stage.DENOISER).withLatentCache(cache).train(g, clips, null, Map.of(), quiet, null).samplesPerSecond();
            product[k] = matmulRate(a, b, 100) * mmFlops;
        }
        double stepSeconds = median(step), productRate = median(product), fastest = Arrays.stream(product).max().getAsDouble();
        System.out.printf(Locale.ROOT, "%ntraining throughput (denoiser, batch %d x %d frames at %dx%d): %.3f s/step (median of %s; %d steps each), %.2f GFLOP/s (%.1f GFLOP per step, analytic)%n",
                batch, frames, w, h, stepSeconds, list(step, "%.3f"), reps, flops / stepSeconds / 1e9, flops / 1e9);
        System.out.printf(Locale.ROOT, "matrix product %dx%d by %dx%d: %.2f GFLOP/s (median of %s); training achieves %.0f%% of it (%.0f%% of the fastest burst)%n",
                tokens, d, d, 4 * d, productRate / 1e9, list(product, 1e-9), 100 * flops / stepSeconds / productRate, 100 * flops / stepSeconds / fastest);
        int windows = 0;
        for (VideoClips.Clip c : clips.clips()) windows += c.frames() - frames + 1 + c.frames();
        System.out.printf(Locale.ROOT, "frozen VAE latents, encoded once per run: %.1f s for the %,d windows and reference frames of these %d clips (%.1f ms each, %.1f MB)%n",
                fillSeconds, windows, clips.clips().size(), 1e3 * fillSeconds / windows, cache.bytes() / 1e6);
        System.out.printf(Locale.ROOT, "threads: %d%n", torch.get_num_threads());
    }

    /** Products per second of a b, over {@code reps} after a warm-up. */
    static double matmulRate(Tensor a, Tensor b, int reps) {
        for (int i = 0; i < 3; i++) {
            try (PointerScope s = new PointerScope()) {
                a.matmul(b);
            }
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            try (PointerScope s = new PointerScope()) {
                a.matmul(b);
            }
        }
        return reps / ((System.nanoTime() - t0) / 1e9);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String list(double[] v, String format) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, format, x));
        return sb.toString();
    }

    static String list(double[] v, double scale) {
        double[] s = new double[v.length];
        for (int i = 0; i < v.length; i++) s[i] = v[i] * scale;
        return list(s, "%.0f");
    }
}
