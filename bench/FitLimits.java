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
import java.util.Comparator;
import java.util.stream.Stream;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Benchmark: what limits the fit (issue #5). Fits synthetic clips three times, from their estimated observations,
 * with the exact normal and depth maps in place of the estimated ones, and with the exact landmarks too, and prints
 * the errors against ground truth per clip. Run with bench/fit-limits.sh [dataset] [clips=id001,id003] [variant=a] [config.json].
 */
public class FitLimits {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        String[] clips = (args.length > 1 ? args[1] : "id001,id003").split(",");
        char variant = args.length > 2 ? args[2].charAt(0) : 'a';
        FitConfig config = (args.length > 3 ? FitConfig.read(Path.of(args[3])) : FitConfig.DEFAULT).variant(variant);
        Tensors.init();
        HeadModel m = HeadModels.load(HeadModels.BUILTIN);
        DenseHead head = new DenseHead(m, HeadSubset.select(m), config.level(), ScalarType.Float);
        HeadFitter fitter = new HeadFitter(head, config);
        System.out.printf("variant (%c), level %d, %d detail epochs%n", variant, config.level(), config.details().epochs());
        System.out.printf("%-8s %-26s %8s %8s %8s %9s %8s %8s %8s%n", "clip", "observations", "face %hw", "abs %hw", "seen %hw", "normal °",
                "lmk px", "expr MAE", "head °");
        for (String id : clips) {
            Path clip = root.resolve(id).resolve("clip00");
            ClipTruth truth = ClipTruth.read(clip);
            Path exact = Files.createTempDirectory("fit-limits");
            try {
                // The clip with its exact maps where the estimated ones are read from.
                for (String d : new String[] {"rgb", "mask"}) Files.createSymbolicLink(exact.resolve(d), clip.resolve(d).toAbsolutePath());
                Files.copy(clip.resolve(ClipObservations.CLIP_FILE), exact.resolve(ClipObservations.CLIP_FILE));
                Files.createDirectories(exact.resolve("estimated"));
                for (String d : new String[] {"normal", "depth"}) {
                    Files.createSymbolicLink(exact.resolve("estimated").resolve(d), clip.resolve(d).toAbsolutePath());
                }
                Observations estimated = ClipObservations.read(clip, m.numLandmarks(), true);
                Observations maps = ClipObservations.read(exact, m.numLandmarks(), true);
                Observations all = new Observations(maps.source(), maps.frames(), maps.width(), maps.height(), maps.fps(), truth.landmarks(),
                        maps.normals(), maps.depth(), maps.masks(), maps.rgb(), maps.intrinsics(), maps.rotation(), maps.cameraTranslation());
                String[] names = {"estimated", "exact maps", "exact maps and landmarks"};
                Observations[] each = {estimated, maps, all};
                for (int k = 0; k < each.length; k++) {
                    FitErrors e = FitErrors.of(head, fitter.fit(each[k], null).head(), truth);
                    System.out.printf("%-8s %-26s %8.2f %8.2f %8.2f %9.2f %8.2f %8.4f %8.2f%n", id, names[k], e.faceVertexError(),
                            e.faceVertexErrorAbsolute(), e.visibleVertexError(), e.medianFaceNormalError(), e.landmarkError(), e.expressionError(),
                            e.headRotationError());
                }
            } finally {
                try (Stream<Path> s = Files.walk(exact)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
