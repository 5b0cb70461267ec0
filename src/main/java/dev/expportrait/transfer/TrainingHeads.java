package dev.expportrait.transfer;

import dev.expportrait.fit.GroundTruthHead;
import dev.expportrait.fit.PersonalHead;
import dev.expportrait.fit.PersonalHeadFile;
import dev.expportrait.head.DenseHead;
import dev.expportrait.io.InputException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The heads the transfer module trains on, from paths: a {@code .head} file (a fitted PersonalHead), a
 * folder of them (searched recursively), or a synthetic dataset or clip folder ({@code clip.safetensors}
 * under it), whose clips' exact ground truth is used ({@link GroundTruthHead}).
 */
public final class TrainingHeads {
    private TrainingHeads() {}

    /** Every head under {@code paths}, checked against {@code head} (model and dense vertex count). */
    public static List<TransferSample> load(List<Path> paths, DenseHead head, PrintStream log) {
        List<TransferSample> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isRegularFile(p)) {
                out.add(check(TransferSample.of(PersonalHeadFile.read(p)), p, head));
                continue;
            }
            if (!Files.isDirectory(p)) {
                throw new InputException(p + ": no such file or folder");
            }
            List<Path> clips = find(p, "clip.safetensors"), heads = find(p, ".head");
            if (clips.isEmpty() && heads.isEmpty()) {
                throw new InputException(p + ": holds no .head files and no synthetic clips (clip.safetensors)");
            }
            for (Path c : clips) out.add(check(TransferSample.of(GroundTruthHead.of(c.getParent(), head)), c.getParent(), head));
            for (Path h : heads) out.add(check(TransferSample.of(PersonalHeadFile.read(h)), h, head));
            if (log != null) {
                log.printf("  %s: %d synthetic clips (ground truth), %d .head files%n", p, clips.size(), heads.size());
            }
        }
        return out;
    }

    private static TransferSample check(TransferSample s, Path p, DenseHead head) {
        int vd = s.identityOffsets().length / 3;
        if (vd != head.numVertices()) {
            throw new InputException(p + ": " + vd + " dense vertices, model " + head.model().name() + " at level " + head.upsampler().levels()
                    + " has " + head.numVertices() + " (train at the heads' level)");
        }
        if (s.numExpression() != head.model().numExpression()) {
            throw new InputException(p + ": " + s.numExpression() + " expression coefficients, model " + head.model().name() + " has "
                    + head.model().numExpression());
        }
        return s;
    }

    private static List<Path> find(Path dir, String suffix) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }
}
