import dev.expportrait.fit.ClipObservations;
import dev.expportrait.fit.FitConfig;
import dev.expportrait.fit.FitErrors;
import dev.expportrait.fit.HeadFitter;
import dev.expportrait.fit.Observations;
import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadModels;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.synth.ClipTruth;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Benchmark: fitting accuracy against ground truth (issue #5). Fits every clip under a synthetic dataset
 * folder from its estimated (degraded) observations only, for the variants (a) base model only, (b) + D_id,
 * (c) full, (d) full without the disentanglement rule, and prints one table row per variant (means over clips).
 * Run with bench/fit.sh [dataset] [variants=abcd] [config.json].
 */
public class FitBench {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        String variants = args.length > 1 ? args[1] : "abcd";
        FitConfig base = args.length > 2 ? FitConfig.read(Path.of(args[2])) : FitConfig.DEFAULT;
        Tensors.init();
        HeadModel m = HeadModels.load(HeadModels.BUILTIN);
        DenseHead head = new DenseHead(m, HeadSubset.select(m), base.level(), ScalarType.Float);
        List<Path> clips;
        try (Stream<Path> s = Files.walk(root)) {
            clips = s.filter(p -> p.getFileName().toString().equals("clip.safetensors")).map(Path::getParent).sorted().toList();
        }
        System.out.printf("%d clips under %s, level %d%n", clips.size(), root, base.level());
        System.out.printf("%-22s %8s %8s %8s %9s %8s %8s %8s %8s %8s %8s %8s%n", "variant", "face %hw", "abs %hw", "seen %hw", "normal °", "lmk px",
                "D_id r", "leakage", "expr MAE", "head °", "jaw °", "s/frame");
        for (char v : variants.toCharArray()) {
            FitConfig config = base.variant(v);
            HeadFitter fitter = new HeadFitter(head, config);
            double[] sum = new double[11];
            for (Path clip : clips) {
                Observations obs = ClipObservations.read(clip, m.numLandmarks(), true);
                HeadFitter.Result r = fitter.fit(obs, null);
                ClipTruth truth = ClipTruth.read(clip);
                FitErrors e = FitErrors.of(head, r.head(), truth);
                double[] row = {e.faceVertexError(), e.faceVertexErrorAbsolute(), e.visibleVertexError(), e.medianFaceNormalError(), e.landmarkError(), e.identityCorrelation(),
                        e.leakage(), e.expressionError(), e.headRotationError(), e.jawError(), r.seconds() / obs.frames()};
                for (int i = 0; i < row.length; i++) sum[i] += row[i] / clips.size();
                if (System.getenv("FIT_BENCH_VERBOSE") != null) {
                    System.out.printf("  %s %s%n", clip, java.util.Arrays.toString(row));
                    System.out.printf("    D_id by region (RMS mm true / fitted, r):%s%n", regionBreakdown(head.regions(), r.head().identityOffsets(),
                            truth.identityOffsets()));
                }
            }
            String name = switch (v) {
                case 'a' -> "(a) base only";
                case 'b' -> "(b) + D_id";
                case 'c' -> "(c) full";
                default -> "(d) full, no rule";
            };
            System.out.printf("%-22s %8.2f %8.2f %8.2f %9.2f %8.2f %8.3f %8.3f %8.3f %8.2f %8.2f %8.2f%n", name,
                    sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8], sum[9], sum[10]);
        }
    }

    /** Per region of the dense head: RMS of the true and the fitted D_id (mm) and their correlation. */
    static String regionBreakdown(int[] regions, float[] fitted, float[] truth) {
        StringBuilder out = new StringBuilder();
        for (int reg = 0; reg < dev.expportrait.head.Regions.NAMES.size(); reg++) {
            final int rr = reg;
            int[] ids = java.util.stream.IntStream.range(0, regions.length).filter(i -> regions[i] == rr).toArray();
            if (ids.length == 0) continue;
            double st = 0, sf = 0;
            for (int i : ids) for (int c = 0; c < 3; c++) {
                st += truth[i * 3 + c] * truth[i * 3 + c];
                sf += fitted[i * 3 + c] * fitted[i * 3 + c];
            }
            out.append(String.format(java.util.Locale.ROOT, " %s %.2f/%.2f %.2f", dev.expportrait.head.Regions.NAMES.get(reg),
                    1000 * Math.sqrt(st / ids.length), 1000 * Math.sqrt(sf / ids.length),
                    dev.expportrait.eval.GeometryMetrics.correlation(fitted, truth, ids)));
        }
        return out.toString();
    }
}
