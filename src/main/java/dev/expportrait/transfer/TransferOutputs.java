package dev.expportrait.transfer;

import dev.expportrait.fit.HeadMaps;
import dev.expportrait.fit.LossPlot;
import dev.expportrait.fit.PersonalHead;
import dev.expportrait.fit.PersonalHeadFile;
import dev.expportrait.head.DenseHead;
import dev.expportrait.io.Mp4;
import dev.expportrait.io.PlyWriter;
import dev.expportrait.io.TriangleMesh;
import dev.expportrait.render.MapImages;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;

/**
 * The files of a transfer: the transferred PersonalHead, its normal maps (the generator's control signal)
 * as PNG frames and an MP4, optionally the posed mesh sequence as PLY, side-by-side comparison videos, and
 * the training loss plot.
 */
public final class TransferOutputs {
    private TransferOutputs() {}

    /** Writes {@code dir/transferred.head}. */
    public static Path head(Path dir, PersonalHead h, Map<String, String> provenance) {
        Path file = dir.resolve("transferred.head");
        PersonalHeadFile.write(file, h, provenance);
        return file;
    }

    /** Renders every frame's normal map; writes {@code dir/normals/NNNNNN.png} and {@code dir/normals.mp4}; returns the frames. */
    public static List<MapImages.Rgb> normals(Path dir, DenseHead head, PersonalHead h, Map<String, String> provenance) {
        List<MapImages.Rgb> frames = HeadMaps.normalImages(head, h);
        for (int t = 0; t < frames.size(); t++) {
            frames.get(t).writePng(dir.resolve("normals").resolve(String.format(Locale.ROOT, "%06d.png", t)), provenance);
        }
        video(dir.resolve("normals.mp4"), frames, h.fps(), provenance);
        return frames;
    }

    /**
     * The reference's own first frame rendered as {@code dir/reference-normal.png}, through its camera as the
     * transferred frames are: with it, {@code gen sample --reference-normals} keeps the reference's pixels where the
     * control shows nothing changed.
     */
    public static Path referenceNormal(Path dir, DenseHead head, PersonalHead reference, Map<String, String> provenance) {
        Path file = dir.resolve("reference-normal.png");
        HeadMaps.render(head, reference, 0, 1, reference.width(), reference.height()).get(0).image().writePng(file, provenance);
        return file;
    }

    /** The detailed posed mesh of every frame as {@code dir/meshes/NNNNNN.ply} (with normals). */
    public static void meshes(Path dir, DenseHead head, PersonalHead h) {
        int[] faces = head.faces();
        for (int t = 0; t < h.frames(); t++) {
            float[] v;
            try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                v = Tensors.toFloats(h.pose(head, t, 1).vertices());
            }
            PlyWriter.write(dir.resolve("meshes").resolve(String.format(Locale.ROOT, "%06d.ply", t)),
                    new TriangleMesh(v, faces, dev.expportrait.head.MeshNormals.vertexNormals(v, faces), null, null));
        }
    }

    /** An MP4 whose frame t is the frames t of {@code columns}, left to right (each column T frames of one height). */
    public static void sideBySide(Path mp4, List<List<MapImages.Rgb>> columns, double fps, Map<String, String> provenance) {
        int t = columns.get(0).size();
        List<MapImages.Rgb> frames = new ArrayList<>(t);
        for (int f = 0; f < t; f++) {
            List<MapImages.Rgb> row = new ArrayList<>();
            for (List<MapImages.Rgb> c : columns) row.add(c.get(f));
            frames.add(MapImages.strip(row));
        }
        video(mp4, frames, fps, provenance);
    }

    private static void video(Path mp4, List<MapImages.Rgb> frames, double fps, Map<String, String> provenance) {
        MapImages.Rgb first = frames.get(0);
        Mp4.write(mp4, new ArrayList<>(frames.stream().map(MapImages.Rgb::data).toList()), first.width(), first.height(), fps, provenance);
    }

    /** The training curves: the training loss (a 50-step moving average) and the validation loss, held between validations. */
    public static void lossPlot(Path png, TransferTrainer.Result r) {
        Map<String, double[]> curves = LossPlot.trainingCurves(r.trainLoss(), r.validationSteps(), r.validationLoss(), 50);
        Map<String, String> text = new LinkedHashMap<>();
        text.put("title", "transfer module training");
        LossPlot.write(png, curves, 900, 420, text);
    }
}
