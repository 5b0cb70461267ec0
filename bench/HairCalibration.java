import dev.expportrait.fit.ClipObservations;
import dev.expportrait.fit.FitConfig;
import dev.expportrait.fit.HeadFitter;
import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadModels;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.head.MeshNormals;
import dev.expportrait.head.Regions;
import dev.expportrait.synth.ClipTruth;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Calibration of the hair prior of Sec. 3.1.3 (issue #5): for every clip of a synthetic dataset, the raw estimate
 * (hairGapScale 1: the mean outward silhouette gap above the eyes after tracking, in metres) against the best
 * single outward offset of the true D_id over the scalp (its mean along the true neutral normals), and the
 * least-squares scale through zero that maps one to the other. Run with bench/hair-calibration.sh.
 */
public class HairCalibration {
    public static void main(String[] args) throws Exception {
        Tensors.init();
        HeadModel m = HeadModels.load(HeadModels.BUILTIN);
        DenseHead head = new DenseHead(m, HeadSubset.select(m), 1, ScalarType.Float);
        int[] regions = head.regions();
        // One detail pass at zero rates: D_id is left at the prior, so its scalp offset is the estimate.
        FitConfig config = FitConfig.DEFAULT.withDetails(FitConfig.with(FitConfig.DEFAULT_DETAILS, Map.of("epochs", 1, "batchFrames", 8,
                "estimateHair", true, "hairGapScale", 1.0, "identityBasis", 0, "identityLearningRate", 0, "expressionLearningRate", 0,
                "coarseLearningRate", 0, "shapeLearningRate", 0)));
        List<Path> clips;
        try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
            clips = s.filter(p -> p.getFileName().toString().equals("clip.safetensors")).map(Path::getParent).sorted().toList();
        }
        System.out.printf("%-24s %14s %16s%n", "clip", "raw gap mm", "true scalp mm");
        double xy = 0, xx = 0;
        for (Path clip : clips) {
            ClipTruth truth = ClipTruth.read(clip);
            float[] normals;
            try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                normals = MeshNormals.vertexNormals(Tensors.toFloats(head.neutral(Tensors.floats(truth.betas(), 1, truth.betas().length))), head.faces());
            }
            float[] fitted = new HeadFitter(head, config).fit(ClipObservations.read(clip, m.numLandmarks(), true), null).head().identityOffsets();
            double raw = 0, exact = 0;
            int n = 0;
            for (int v = 0; v < regions.length; v++) {
                if (regions[v] != Regions.SCALP) continue;
                double a = 0, b = 0;
                for (int c = 0; c < 3; c++) {
                    a += fitted[v * 3 + c] * normals[v * 3 + c];
                    b += truth.identityOffsets()[v * 3 + c] * normals[v * 3 + c];
                }
                raw = Math.max(raw, a); // the prior is feathered at the hairline; its plateau is the estimate
                exact += b;
                n++;
            }
            exact /= n;
            xy += raw * exact;
            xx += raw * raw;
            System.out.printf(Locale.ROOT, "%-24s %14.2f %16.2f%n", Path.of(args[0]).relativize(clip), raw * 1e3, exact * 1e3);
        }
        System.out.printf(Locale.ROOT, "least-squares hairGapScale (through zero): %.3f  (the default is %.2f)%n", xy / xx,
                FitConfig.DEFAULT_DETAILS.hairGapScale());
    }
}
