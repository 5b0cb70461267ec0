import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadModels;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.head.Regions;
import dev.expportrait.synth.ExpressionField;
import dev.expportrait.synth.Identities;
import dev.expportrait.synth.Identity;
import dev.expportrait.synth.Motion;
import dev.expportrait.synth.Motions;
import dev.expportrait.synth.NeutralMesh;
import dev.expportrait.tensor.Tensors;
import dev.expportrait.transfer.NeutralFeatures;
import dev.expportrait.transfer.SyntheticSamples;
import dev.expportrait.transfer.TransferEnsembleFile;
import dev.expportrait.transfer.TransferModule;
import dev.expportrait.transfer.TransferSample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Where the transfer benchmark's mean face vertex error lies (issue #6): the same held-out pairs as
 * {@code TransferBench} (seeds from 9,000,000, youngest with oldest, both directions, the driver's motion of 32
 * frames), the expression offsets compared on the face vertices before posing. Each face vertex of the reference
 * is assigned to the fold group that moves it most at full activation (forehead, glabella, smile, chin, lips),
 * else to the cheek puff (whose Gaussian covers most of the face), else to "elsewhere". Prints each group's share
 * of the face mean distance (mm) for direct transfer, the module, the truth at mean skin softness (iv) and base
 * only; the module against (iv), with the least-squares gain of the module on (iv) per group; and for the puff
 * how much of the module's squared error against (iv) one scale per frame would remove (amplitude and timing
 * rather than shape). Run with bench/transfer-regions.sh [weights] [pairs=20].
 */
public class TransferRegions {
    private static final String[][] GROUPS = {{"browInnerUp", "browOuterUpLeft", "browOuterUpRight"}, {"browDownLeft", "browDownRight"},
        {"mouthSmileLeft", "mouthSmileRight", "cheekSquintLeft", "cheekSquintRight", "mouthUpperUpLeft", "mouthUpperUpRight"},
        {"mouthPressLeft", "mouthPressRight", "mouthFrownLeft", "mouthFrownRight"}, {"mouthPucker", "mouthFunnel"}, {"cheekPuff"}};
    private static final String[] NAMES = {"forehead", "glabella", "smile", "chin", "lips", "puff", "elsewhere"};
    private static final int PUFF = 5, ELSEWHERE = 6;

    public static void main(String[] args) throws Exception {
        String weights = args.length > 0 ? args[0] : "models/transfer.safetensors";
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 20, frames = 32;
        Tensors.init();
        HeadModel m = HeadModels.load(HeadModels.BUILTIN);
        DenseHead head = new DenseHead(m, HeadSubset.select(m), 1, ScalarType.Float);
        NeutralFeatures features = new NeutralFeatures(head);
        TransferModule model = TransferEnsembleFile.read(Path.of(weights));
        int[] face = Regions.faceVertices(head.regions());
        List<Identity> ids = new ArrayList<>();
        for (int i = 0; i < pairs; i++) ids.add(Identities.sample(9_000_000 + i, m));
        ids.sort(Comparator.comparingDouble(Identity::age));
        int groups = NAMES.length;
        double[][] distance = new double[4][groups]; // direct, module, (iv), base only against the truth
        double[] moduleToMean = new double[groups], dot = new double[groups], meanSquare = new double[groups];
        double puffError = 0, puffAfterFrameScale = 0;
        for (int k = 0; k < pairs; k++) {
            int young = k / 2, old = pairs - 1 - k / 2;
            Identity ref = ids.get(k % 2 == 0 ? young : old), drv = ids.get(k % 2 == 0 ? old : young);
            Motion motion = Motions.sample(9_100_000 + k, m, frames, 25);
            TransferSample driver = SyntheticSamples.of(head, drv, motion, "driver");
            TransferSample truth = SyntheticSamples.of(head, ref, motion, "truth");
            float[] module = model.predict(features.of(ref.betas(), truth.identityOffsets(), face), truth.drivers());
            float[] mean = SyntheticSamples.of(head, ref.withSkinSoftness(0.5), motion, "mean softness").expressionOffsets();
            int[] group = groups(head, m, ref, face);
            float[] gt = truth.expressionOffsets();
            float[][] variants = {driver.expressionOffsets(), module, mean, new float[gt.length]};
            for (int t = 0; t < frames; t++) {
                double pd = 0, pm = 0, pp = 0; // the puff's <module, mean>, |mean|^2, |module|^2 in this frame
                for (int i = 0; i < face.length; i++) {
                    int o = (t * face.length + i) * 3, g = group[i];
                    for (int v = 0; v < 4; v++) distance[v][g] += norm(variants[v], gt, o);
                    moduleToMean[g] += norm(module, mean, o);
                    for (int c = 0; c < 3; c++) {
                        dot[g] += module[o + c] * mean[o + c];
                        meanSquare[g] += mean[o + c] * mean[o + c];
                        if (g == PUFF) {
                            pd += module[o + c] * mean[o + c];
                            pm += mean[o + c] * mean[o + c];
                            pp += module[o + c] * module[o + c];
                        }
                    }
                }
                puffError += pp - 2 * pd + pm;
                puffAfterFrameScale += pm > 0 ? pp - pd * pd / pm : pp;
            }
        }
        double n = 1e-3 * pairs * frames * face.length; // mm
        System.out.printf("%d held-out pairs, %d frames each, %d face vertices; share of the face mean distance (mm) by group%n", pairs, frames, face.length);
        System.out.printf("%-10s %9s %9s %9s %9s %14s %6s%n", "group", "direct", "module", "(iv)", "base", "module-(iv)", "gain");
        double[] total = new double[5];
        for (int g = 0; g < groups; g++) {
            System.out.printf("%-10s %9.5f %9.5f %9.5f %9.5f %14.5f %6.3f%n", NAMES[g], distance[0][g] / n, distance[1][g] / n, distance[2][g] / n,
                    distance[3][g] / n, moduleToMean[g] / n, meanSquare[g] > 0 ? dot[g] / meanSquare[g] : Double.NaN);
            for (int v = 0; v < 4; v++) total[v] += distance[v][g] / n;
            total[4] += moduleToMean[g] / n;
        }
        System.out.printf("%-10s %9.4f %9.4f %9.4f %9.4f %14.4f%n", "face", total[0], total[1], total[2], total[3], total[4]);
        System.out.printf("puff, module against (iv): one scale per frame removes %.0f%% of the squared error%n",
                100 * (1 - puffAfterFrameScale / puffError));
    }

    /** Each face vertex's fold group on the reference: the fine fold moving it most (over 1 um at full activation), else the puff, else elsewhere. */
    private static int[] groups(DenseHead head, HeadModel m, Identity ref, int[] face) {
        ExpressionField field = ExpressionField.of(ref, NeutralMesh.of(ref, head), m);
        List<String> names = m.expressionNames();
        double[][] response = new double[GROUPS.length][];
        for (int g = 0; g < GROUPS.length; g++) {
            float[] e = new float[m.numExpression()];
            for (String name : GROUPS[g]) if (names.indexOf(name) >= 0) e[names.indexOf(name)] = 1;
            float[] d = field.evaluate(e, new float[3]);
            response[g] = new double[face.length];
            for (int i = 0; i < face.length; i++) response[g][i] = Math.sqrt(d[face[i] * 3] * d[face[i] * 3] + d[face[i] * 3 + 1] * d[face[i] * 3 + 1] + d[face[i] * 3 + 2] * d[face[i] * 3 + 2]);
        }
        int[] group = new int[face.length];
        for (int i = 0; i < face.length; i++) {
            int best = ELSEWHERE;
            double most = 1e-6;
            for (int g = 0; g < PUFF; g++) {
                if (response[g][i] > most) {
                    most = response[g][i];
                    best = g;
                }
            }
            group[i] = best == ELSEWHERE && response[PUFF][i] > 1e-6 ? PUFF : best;
        }
        return group;
    }

    /** |a - b| of the 3-vectors at offset o. */
    private static double norm(float[] a, float[] b, int o) {
        double dx = a[o] - b[o], dy = a[o + 1] - b[o + 1], dz = a[o + 2] - b[o + 2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
}
