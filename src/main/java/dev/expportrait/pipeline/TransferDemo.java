package dev.expportrait.pipeline;

import dev.expportrait.fit.HeadMaps;
import dev.expportrait.fit.PersonalHead;
import dev.expportrait.head.DenseHead;
import dev.expportrait.head.PinholeCamera;
import dev.expportrait.render.Framing;
import dev.expportrait.render.MapImages;
import dev.expportrait.synth.Identities;
import dev.expportrait.synth.Identity;
import dev.expportrait.synth.Motion;
import dev.expportrait.synth.Motions;
import dev.expportrait.synth.NeutralMesh;
import dev.expportrait.transfer.ExpressionTransfer;
import dev.expportrait.transfer.ExpressionTransfer.Method;
import dev.expportrait.transfer.ExpressionTransfer.PoseMode;
import dev.expportrait.transfer.NeutralFeatures;
import dev.expportrait.transfer.SyntheticSamples;
import dev.expportrait.transfer.TransferEnsembleFile;
import dev.expportrait.transfer.TransferModule;
import dev.expportrait.transfer.TransferOutputs;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's transfer step (Sec. 3.2, the ablation of Fig. 8): an elderly synthetic identity's expressions
 * carried onto a child, by direct transfer (the elder's D_exp,t copied) and by the shipped module, beside
 * the exact answer (the child's own expression field at the elder's coefficients). Ground-truth heads
 * stand in for fitted ones here, so what is seen is the transfer alone.
 */
final class TransferDemo {
    static final int FRAMES = 48, SIZE = 192;

    private TransferDemo() {}

    static void run(DenseHead head, Path dir, long seed, Map<String, String> provenance, PrintStream log) {
        Path weights = ShippedModels.path(ShippedModels.TRANSFER);
        TransferModule module = TransferEnsembleFile.read(weights);
        if (module.level() != head.upsampler().levels()) {
            log.printf("      skipped: the shipped module (%s) is for level %d, the demo runs at level %d%n", weights, module.level(),
                    head.upsampler().levels());
            return;
        }
        var m = head.model();
        Identity elder = Identities.sample(seed * 1000 + 500, m).atAge(75), child = Identities.sample(seed * 1000 + 501, m).atAge(8);
        Motion motion = mostExpressive(head, elder, seed);
        PersonalHead driver = SyntheticSamples.head(head, elder, motion, closeUp(head, elder), "elder (75)");
        PersonalHead truth = SyntheticSamples.head(head, child, motion, closeUp(head, child), "child (8)");
        NeutralFeatures features = new NeutralFeatures(head);
        PersonalHead direct = ExpressionTransfer.apply(truth, driver, Method.DIRECT, PoseMode.ABSOLUTE, null, features);
        PersonalHead adapted = ExpressionTransfer.apply(truth, driver, Method.MODULE, PoseMode.ABSOLUTE, module, features);
        List<List<MapImages.Rgb>> columns = new ArrayList<>();
        for (PersonalHead h : List.of(driver, direct, adapted, truth)) columns.add(HeadMaps.normalImages(head, h));
        Path video = dir.resolve("compare.mp4");
        TransferOutputs.sideBySide(video, columns, motion.fps(), provenance);
        int peak = peakFrame(driver);
        List<MapImages.Rgb> still = new ArrayList<>();
        for (List<MapImages.Rgb> c : columns) still.add(c.get(peak));
        Path png = dir.resolve("compare.png");
        MapImages.strip(still).writePng(png, provenance);
        Path file = TransferOutputs.head(dir, adapted, provenance);
        log.printf(Locale.ROOT, "      offsets against the child's ground truth, mean over face vertices and frames: direct %.4f mm, module %.4f mm (none: %.4f mm)%n",
                error(direct, truth), error(adapted, truth), magnitude(truth));
        log.printf("      %s (elder driver | direct transfer | module | child's ground truth), %s (frame %d), %s%n", video, png, peak, file);
    }

    /** A close-up camera on the identity's neutral face. */
    private static PinholeCamera closeUp(DenseHead head, Identity id) {
        return Framing.face(NeutralMesh.of(id, head).landmarks(), SIZE);
    }

    /** Of eight sampled motions, the one that creases the elder's face most (sampled motions rest between episodes). */
    private static Motion mostExpressive(DenseHead head, Identity elder, long seed) {
        Motion best = null;
        double most = -1;
        for (int k = 0; k < 8; k++) {
            Motion motion = Motions.sample(seed * 100 + k, head.model(), FRAMES, 25);
            double e = 0;
            for (float v : SyntheticSamples.of(head, elder, motion, "candidate").expressionOffsets()) e += v * v;
            if (e > most) {
                most = e;
                best = motion;
            }
        }
        return best;
    }

    private static int peakFrame(PersonalHead h) {
        int per = h.numFaceVertices() * 3, best = 0;
        double most = -1;
        for (int t = 0; t < h.frames(); t++) {
            double e = 0;
            for (int i = 0; i < per; i++) e += h.expressionOffsets()[t * per + i] * h.expressionOffsets()[t * per + i];
            if (e > most) {
                most = e;
                best = t;
            }
        }
        return best;
    }

    /** Mean distance (mm) between two heads' expression offsets over face vertices and frames. */
    static double error(PersonalHead a, PersonalHead b) {
        float[] x = a.expressionOffsets(), y = b.expressionOffsets();
        double s = 0;
        for (int i = 0; i < x.length; i += 3) {
            double dx = x[i] - y[i], dy = x[i + 1] - y[i + 1], dz = x[i + 2] - y[i + 2];
            s += Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
        return 1e3 * s / (x.length / 3);
    }

    private static double magnitude(PersonalHead a) {
        float[] x = a.expressionOffsets();
        double s = 0;
        for (int i = 0; i < x.length; i += 3) s += Math.sqrt(x[i] * x[i] + x[i + 1] * x[i + 1] + x[i + 2] * x[i + 2]);
        return 1e3 * s / (x.length / 3);
    }
}
