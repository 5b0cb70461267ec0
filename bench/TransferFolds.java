import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadModels;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.head.Regions;
import dev.expportrait.synth.Identities;
import dev.expportrait.synth.Identity;
import dev.expportrait.synth.Motion;
import dev.expportrait.tensor.Tensors;
import dev.expportrait.transfer.NeutralFeatures;
import dev.expportrait.transfer.SyntheticSamples;
import dev.expportrait.transfer.TransferEnsembleFile;
import dev.expportrait.transfer.TransferModule;
import dev.expportrait.transfer.TransferSample;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * What the transfer module has learned, fold by fold (issue #6): held-out faces (seeds from 8,800,001) at 78 and at
 * 7, each driven by one group of expression coefficients at 1 (jaw closed, one frame); RMS of the face vertices'
 * expression offsets, ground truth against the module. Run with bench/transfer-folds.sh [weights] [faces=1].
 */
public class TransferFolds {
    static final String[][] GROUPS = {{"smile", "mouthSmileLeft", "mouthSmileRight", "cheekSquintLeft", "cheekSquintRight"},
            {"cheek puff", "cheekPuff"}, {"raised brows", "browInnerUp", "browOuterUpLeft", "browOuterUpRight"},
            {"frown", "browDownLeft", "browDownRight", "mouthFrownLeft", "mouthFrownRight"}, {"pucker", "mouthPucker"}};

    public static void main(String[] args) {
        Tensors.init();
        HeadModel m = HeadModels.load(HeadModels.BUILTIN);
        DenseHead head = new DenseHead(m, HeadSubset.select(m), 1, ScalarType.Float);
        NeutralFeatures features = new NeutralFeatures(head);
        TransferModule model = TransferEnsembleFile.read(Path.of(args[0]));
        int faces = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int[] face = Regions.faceVertices(head.regions());
        List<String> names = m.expressionNames();
        for (long seed = 8_800_001; seed < 8_800_001 + faces; seed++) {
            System.out.printf("face of seed %d (%s)%n| drive | elder truth | elder module | child truth | child module |%n|---|---|---|---|---|%n", seed, args[0]);
            Identity base = Identities.sample(seed, m);
            for (String[] group : GROUPS) {
                StringBuilder row = new StringBuilder("| " + group[0]);
                for (double age : new double[] {78, 7}) {
                    Identity id = base.atAge(age);
                    float[] e = new float[names.size()];
                    for (int k = 1; k < group.length; k++) e[names.indexOf(group[k])] = 1f;
                    Motion motion = new Motion(25, e, new float[m.numJoints() * 3], new float[3], new float[2]);
                    TransferSample truth = SyntheticSamples.of(head, id, motion, "probe");
                    float[] predicted = model.predict(features.of(id.betas(), truth.identityOffsets(), face), truth.drivers());
                    row.append(String.format(Locale.ROOT, " | %.3f mm | %.3f mm", 1e3 * rms(truth.expressionOffsets()), 1e3 * rms(predicted)));
                }
                System.out.println(row + " |");
            }
        }
    }

    /** Root mean square length of the [N, 3] offsets, metres. */
    static double rms(float[] x) {
        double s = 0;
        for (float v : x) s += v * v;
        return Math.sqrt(s / (x.length / 3));
    }
}
