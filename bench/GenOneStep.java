import dev.expportrait.gen.GenOutputs;
import dev.expportrait.gen.Generator;
import dev.expportrait.gen.GeneratorFile;
import dev.expportrait.gen.NoiseSchedule;
import dev.expportrait.gen.Reenactment;
import dev.expportrait.gen.Sampler;
import dev.expportrait.gen.VideoClips;
import dev.expportrait.io.Png;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Benchmark: where the generator loses detail (issue #7). On the held-out clips of bench/gen.sh (frames 24-32, the
 * reference frame 0, the true normal maps as control), scores against the truth (PSNR, SSIM, moved-pixel PSNR, as
 * bench/gen.sh) (1) the VAE's reconstruction of the true frames and (2) for each timestep t, the denoiser's one-step
 * estimate of the clean latent, z0 = (z_t - sqrt(1 - ab) eps) / sqrt(ab), from the true latent noised to t (fixed
 * noise), decoded. A sampler that ends at the truth passes through these estimates, so (2) at small t bounds what the
 * last steps can fix and (1) bounds everything. Writes a PNG of the first clip's frame 28, 4x enlarged: truth | VAE |
 * one-step estimates (a VAE alone: its reconstruction only). Run with bench/gen-onestep.sh [generator] [clips] [timesteps].
 */
public class GenOneStep {
    static final int START = 24, FRAMES = 9, SHOWN = 4, ENLARGE = 4;

    public static void main(String[] args) throws Exception {
        Tensors.init();
        GeneratorFile.Contents file = GeneratorFile.read(Path.of(args[0]));
        Generator g = file.generator();
        VideoClips clips = VideoClips.load(List.of(Path.of(args[1])));
        // a VAE alone (gen train-vae's output): its reconstruction only
        int[] timesteps = file.hasDenoiser() ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray() : new int[0];
        Path png = Path.of(args[3]);
        int w = clips.width(), h = clips.height(), n = clips.clips().size();
        NoiseSchedule schedule = NoiseSchedule.ddpm();
        double[][] sums = new double[timesteps.length + 1][4];
        List<byte[]> shown = new ArrayList<>();
        System.out.printf(Locale.ROOT, "generator %s: %d held-out clips, frames %d-%d, reference frame 0, one-step estimates from the true latent%n%n",
                args[0], n, START, START + FRAMES - 1);
        for (int c = 0; c < n; c++) {
            try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
                VideoClips one = new VideoClips(List.of(clips.clips().get(c)));
                VideoClips.Batch b = one.windows(new int[] {0}, new int[] {START}, new int[] {0}, FRAMES);
                List<byte[]> truth = GenOutputs.frames(b.video(), 0);
                byte[] reference = GenOutputs.frames(b.reference(), 0).get(0);
                Tensor z = g.latents(b.video());
                List<byte[]> recon = GenOutputs.frames(g.decode(z), 0);
                add(sums[0], Reenactment.Metrics.of(recon, truth, reference, w, h), n);
                if (c == 0) {
                    shown.add(truth.get(SHOWN));
                    shown.add(recon.get(SHOWN));
                }
                Generator.Conditions cond = g.conditions(b.control(), b.reference());
                for (int k = 0; k < timesteps.length; k++) {
                    int t = timesteps[k];
                    Tensor noise = Sampler.gaussian(new SplittableRandom(1000 + c), Tensors.shape(z));
                    Tensor noisy = schedule.addNoise(z, noise, new int[] {t});
                    Tensor eps = g.predictNoise(noisy, new int[] {t}, cond, true);
                    double ab = schedule.alphaBar(t);
                    Tensor z0 = noisy.sub(eps.mul(new Scalar(Math.sqrt(1 - ab)))).div(new Scalar(Math.sqrt(ab)));
                    List<byte[]> estimate = GenOutputs.frames(g.decode(z0), 0);
                    add(sums[k + 1], Reenactment.Metrics.of(estimate, truth, reference, w, h), n);
                    sums[k + 1][3] += eps.sub(noise).square().mean().item_double() / n;
                    if (c == 0) shown.add(estimate.get(SHOWN));
                }
            }
        }
        System.out.println("| decoded | PSNR dB | SSIM | moved PSNR dB | Eq. 10 error |");
        System.out.println("|---|---|---|---|---|");
        row("VAE reconstruction of the truth", sums[0], false);
        for (int k = 0; k < timesteps.length; k++) row("one-step estimate from t = " + timesteps[k], sums[k + 1], true);
        Files.createDirectories(png.toAbsolutePath().getParent());
        int cols = shown.size(), W = cols * w * ENLARGE, H = h * ENLARGE;
        byte[] out = new byte[W * H * 3];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                byte[] img = shown.get(x / (w * ENLARGE));
                int sx = (x % (w * ENLARGE)) / ENLARGE, sy = y / ENLARGE;
                System.arraycopy(img, (sy * w + sx) * 3, out, (y * W + x) * 3, 3);
            }
        }
        StringBuilder what = new StringBuilder("frame " + (START + SHOWN) + " of " + clips.clips().get(0).name() + ": truth | VAE reconstruction");
        for (int t : timesteps) what.append(" | one-step estimate from t = ").append(t);
        Png.writeRgb(png, W, H, out, Map.of("Description", what.toString()));
        System.out.println();
        System.out.println("wrote " + png + " (" + what + ")");
    }

    static void add(double[] sum, Reenactment.Metrics m, int n) {
        sum[0] += m.psnr() / n;
        sum[1] += m.ssim() / n;
        sum[2] += m.movedPsnr() / n;
    }

    static void row(String name, double[] m, boolean eq10) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.4f | %.2f | %s |%n", name, m[0], m[1], m[2], eq10 ? String.format(Locale.ROOT, "%.5f", m[3]) : "-");
    }
}
