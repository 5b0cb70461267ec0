package dev.expportrait.pipeline;

import dev.expportrait.fit.ClipObservations;
import dev.expportrait.fit.FitConfig;
import dev.expportrait.fit.FitOutputs;
import dev.expportrait.fit.HeadFitter;
import dev.expportrait.fit.Observations;
import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadMeshExport;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadModelFile;
import dev.expportrait.head.HeadModels;
import dev.expportrait.head.HeadParameters;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.io.InputException;
import dev.expportrait.head.PinholeCamera;
import dev.expportrait.render.Framing;
import dev.expportrait.render.HeadRender;
import dev.expportrait.render.MapImages;
import dev.expportrait.synth.ClipTruth;
import dev.expportrait.synth.ExpressionField;
import dev.expportrait.synth.Identities;
import dev.expportrait.synth.Identity;
import dev.expportrait.synth.IdentityField;
import dev.expportrait.synth.NeutralMesh;
import dev.expportrait.synth.SynthDataset;
import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The demo of the whole pipeline, as far as it is built: the built-in head, then a sweep of expressions
 * and poses of its dense mesh (paper Eq. 1-4) written as .glb files, rendered previews of each, a synthetic
 * clip with ground truth, the personalized head fitted to that clip (Sec. 3.1) with its errors, and an
 * expression transfer between identities of different ages, direct and through the module (Sec. 3.2), and a
 * video generated from normal maps and a reference frame by the shipped generator (Sec. 3.3).
 */
public final class Demo {
    private final Path out;
    private final int level;
    private final long seed;
    private final PrintStream log;

    public Demo(Path out, int level, long seed, PrintStream log) {
        if (level < 0 || level > 2) {
            throw new InputException("--level " + level + ": must be 0, 1 or 2");
        }
        this.out = out;
        this.level = level;
        this.seed = seed;
        this.log = log;
    }

    /** One posed frame of the sweep: a file name and how to set the parameters. */
    record Shot(String file, String shape, String expression, List<String> pose) {}

    static List<Shot> sweep() {
        List<Shot> s = new ArrayList<>();
        s.add(new Shot("expr-brows-up", null, "browInnerUp=1,browOuterUpLeft=1,browOuterUpRight=1", List.of()));
        s.add(new Shot("expr-frown", null, "browDownLeft=1,browDownRight=1,mouthFrownLeft=1,mouthFrownRight=1", List.of()));
        s.add(new Shot("expr-smile", null, "mouthSmileLeft=1,mouthSmileRight=1,cheekSquintLeft=0.6,cheekSquintRight=0.6", List.of()));
        s.add(new Shot("expr-blink-left", null, "eyeBlinkLeft=1", List.of()));
        s.add(new Shot("expr-pucker", null, "mouthPucker=1", List.of()));
        s.add(new Shot("expr-cheek-puff", null, "cheekPuff=1", List.of()));
        s.add(new Shot("pose-jaw-open", null, null, List.of("jaw=0.35,0,0")));
        s.add(new Shot("pose-head-turn", null, null, List.of("head=0,0.5,0")));
        s.add(new Shot("pose-nod", null, null, List.of("neck=0.3,0,0")));
        s.add(new Shot("combo-surprise-tilt", null, "browInnerUp=1,eyeWideLeft=1,eyeWideRight=1", List.of("jaw=0.25,0,0", "head=0,0,0.25")));
        s.add(new Shot("shape-wide-head-long-nose", "head_width=2,nose_length=2,jaw_width=1.5", null, List.of()));
        return s;
    }

    public void run() {
        long start = System.nanoTime();
        log.printf("[1/9] building the built-in open head...%n");
        HeadModel m = HeadModels.builtin();
        Path modelFile = out.resolve("builtin-head.npz");
        HeadModelFile.write(modelFile, m);
        log.printf("      %d vertices, %d faces, %d joints, %d shape + %d expression directions, %d landmarks -> %s%n",
                m.numVertices(), m.numFaces(), m.numJoints(), m.numShape(), m.numExpression(), m.numLandmarks(), modelFile);

        log.printf("[2/9] head subset S (Eq. 1) and upsampling U, level %d (Eq. 2)...%n", level);
        DenseHead head = new DenseHead(m, HeadSubset.select(m), level, ScalarType.Float);
        log.printf("      %d coarse -> %d dense vertices, %d dense faces%n", head.subset().numVertices(), head.numVertices(), head.faces().length / 3);

        List<Shot> shots = new ArrayList<>(sweep());
        shots.add(0, new Shot("identity-seed" + seed, randomShape(m, seed), null, List.of()));
        log.printf("[3/9] posing and writing %d meshes (Eq. 3-4)...%n", shots.size() + 1);
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("model", m.name());
        provenance.put("level", String.valueOf(level));
        provenance.put("seed", String.valueOf(seed));
        provenance.put("command", "expportrait demo");
        HeadMeshExport.Summary neutral = HeadMeshExport.write(out.resolve("neutral.glb"), head, HeadParameters.zero(m), true, provenance);
        log.printf("      %-28s %d morph targets (one per expression direction)%n", "neutral.glb", neutral.morphTargets());
        int i = 0;
        for (Shot shot : shots) {
            Path file = out.resolve(shot.file() + ".glb");
            HeadMeshExport.write(file, head, parameters(m, shot), false, provenance);
            i++;
            log.printf("      %-28s [%2d/%d] %s%n", file.getFileName(), i, shots.size(), describe(shot));
        }
        log.printf("[4/9] rendering previews (shaded RGB | normal map | depth | landmarks), %d px...%n", PREVIEW_SIZE);
        HeadRender renderer = new HeadRender(head);
        List<MapImages.Rgb> sheet = new ArrayList<>();
        List<Shot> all = new ArrayList<>(shots);
        all.add(0, new Shot("neutral", null, null, List.of()));
        int k = 0;
        for (Shot shot : all) {
            HeadRender.Frame frame = renderer.render(parameters(m, shot), PREVIEW_SIZE, null);
            MapImages.Rgb strip = MapImages.strip(List.of(frame.images().get(HeadRender.Kind.rgb), frame.images().get(HeadRender.Kind.normal),
                    frame.images().get(HeadRender.Kind.depth), frame.images().get(HeadRender.Kind.landmarks)));
            Path file = out.resolve("previews").resolve(shot.file() + ".png");
            strip.writePng(file, provenance);
            sheet.add(frame.images().get(HeadRender.Kind.rgb));
            k++;
            log.printf("      %-40s [%2d/%d]%n", out.relativize(file), k, all.size());
        }
        Path contact = out.resolve("previews").resolve("sweep.png");
        contactSheet(sheet, 5).writePng(contact, provenance);
        log.printf("      %s: all %d shaded previews on one sheet%n", out.relativize(contact), sheet.size());
        syntheticIdentity(m, head, out.resolve("previews").resolve("synth-identity-seed" + seed + ".png"), provenance);
        log.printf("[6/9] a synthetic clip with ground truth (expportrait synth): %s%n", out.resolve("synth"));
        new SynthDataset(1, 1, CLIP_FRAMES, CLIP_SIZE, 25, level, seed).write(m, out.resolve("synth"), "expportrait demo", log);
        fitClip(head, out.resolve("synth").resolve("id000").resolve("clip00"), provenance);
        log.printf("[8/9] expression transfer (Sec. 3.2): an elder's expressions onto a child, direct transfer vs the shipped module...%n");
        TransferDemo.run(head, out.resolve("transfer"), seed, provenance, log);
        log.printf("[9/9] video generation (Sec. 3.3): a held-out synthetic identity re-enacting its own clip from normal maps and its first frame, by the shipped generator...%n");
        GenDemo.run(m, level, out.resolve("gen"), seed, provenance, log);
        log.printf("done in %.1f s: open %s/*.glb in any glTF viewer (e.g. https://gltf-viewer.donmccurdy.com/); previews in %s; "
                        + "a synthetic clip in synth/; its fit in fit/ (watch fit/subject.overlay.mp4); transfer/compare.mp4; gen/sample/compare.mp4%n",
                (System.nanoTime() - start) / 1e9, out, out.resolve("previews"));
    }

    static final int PREVIEW_SIZE = 256;
    static final int CLIP_FRAMES = 24, CLIP_SIZE = 192;

    /**
     * Fits the synthetic clip from its estimated observations (Sec. 3.1.2-3.1.3) and writes, as
     * {@code expportrait fit} does, fit/subject.head with its loss plot, overlay video and errors against
     * the clip's ground truth.
     */
    private void fitClip(DenseHead head, Path clip, Map<String, String> provenance) {
        FitConfig config = new FitConfig(level, seed, FitConfig.DEFAULT_TRACKING, FitConfig.DEFAULT_DETAILS);
        long start = System.nanoTime();
        log.printf("[7/9] fitting the personalized head to that clip's estimated observations (Sec. 3.1.2-3.1.3)...%n");
        Observations obs = ClipObservations.read(clip, head.model().numLandmarks(), true);
        HeadFitter.Result result = new HeadFitter(head, config).fit(obs, log);
        Map<String, String> p = new LinkedHashMap<>(provenance);
        p.put("config", config.toJson());
        FitOutputs.Written w = FitOutputs.write(out.resolve("fit").resolve("subject.head"), result, obs, head, ClipTruth.read(clip), p);
        log.printf(java.util.Locale.ROOT, "      %d frames fitted in %.1f s (%.1f s with the outputs); %s%n", obs.frames(), result.seconds(),
                (System.nanoTime() - start) / 1e9, FitOutputs.summary(w.fitErrors()));
        log.printf("      %s, %s, %s, %s%n", out.relativize(w.head()), out.relativize(w.lossPlot()), out.relativize(w.overlay()),
                out.relativize(w.errors()));
    }

    /**
     * The synthetic world's ground truth for the identity of this seed (Eq. 3): normal maps of the dense
     * neutral mesh, + the identity offsets D_id (hair, ears, clothing, facial details), + the expression
     * offsets D_exp of a smile with raised brows at age 75, and the same at age 6 (identity-adaptive detail).
     */
    private void syntheticIdentity(HeadModel m, DenseHead head, Path file, Map<String, String> provenance) {
        Identity id = Identities.sample(seed, m);
        log.printf("[5/9] synthetic identity of seed %d (hair %s): identity offsets and age-adaptive expression offsets (Eq. 3)...%n",
                seed, id.hairStyle());
        NeutralMesh neutral = NeutralMesh.of(id, head);
        int vd = head.numVertices();
        Tensor dId = Tensors.floats(IdentityField.evaluate(id, neutral), vd, 3);
        float[] expr = HeadParameters.zero(m)
                .withExpression(m, "mouthSmileLeft=1,mouthSmileRight=1,browInnerUp=1,browOuterUpLeft=1,browOuterUpRight=1").expression();
        float[] jaw = new float[3];
        Tensor old = Tensors.floats(ExpressionField.of(id.atAge(75), neutral, m).evaluate(expr, jaw), 1, vd, 3);
        Tensor child = Tensors.floats(ExpressionField.of(id.atAge(6), neutral, m).evaluate(expr, jaw), 1, vd, 3);
        Tensor betas = id.betaRow();
        Tensor none = Tensors.zeros(ScalarType.Float, 1, m.numExpression());
        Tensor smile = Tensors.floats(expr, 1, m.numExpression());
        HeadRender renderer = new HeadRender(head);
        Tensor rest = head.pose(betas, none, head.zeroPose(1), null, null, null).vertices();
        PinholeCamera closeUp = Framing.face(Tensors.toFloats(head.landmarks().evaluate(rest)), PREVIEW_SIZE);
        HeadRender.Frame base = renderer.render(rest, PREVIEW_SIZE, closeUp);
        List<MapImages.Rgb> normals = new ArrayList<>();
        normals.add(base.images().get(HeadRender.Kind.normal));
        Tensor[][] variants = {{none, null}, {smile, old}, {smile, child}};
        for (Tensor[] v : variants) {
            Tensor posed = head.pose(betas, v[0], head.zeroPose(1), null, dId, v[1]).vertices();
            normals.add(renderer.render(posed, PREVIEW_SIZE, base.camera()).images().get(HeadRender.Kind.normal));
        }
        MapImages.strip(normals).writePng(file, provenance);
        log.printf("      %s: base | + D_id | + smile, brows up, D_exp at 75 | the same at 6%n", out.relativize(file));
    }

    private static HeadParameters parameters(HeadModel m, Shot shot) {
        return HeadParameters.of(m, shot.shape(), shot.expression(), shot.pose());
    }

    /** Images of one size in rows of {@code perRow}, the last row padded with black. */
    static MapImages.Rgb contactSheet(List<MapImages.Rgb> images, int perRow) {
        int w = images.get(0).width(), h = images.get(0).height();
        int rows = (images.size() + perRow - 1) / perRow;
        byte[] out = new byte[perRow * w * rows * h * 3];
        for (int i = 0; i < images.size(); i++) {
            int x0 = (i % perRow) * w, y0 = (i / perRow) * h;
            for (int y = 0; y < h; y++) {
                System.arraycopy(images.get(i).data(), y * w * 3, out, ((y0 + y) * perRow * w + x0) * 3, w * 3);
            }
        }
        return new MapImages.Rgb(perRow * w, rows * h, out);
    }

    /** Shape coefficients drawn from N(0, 1) for the identity of this seed, as a spec string. */
    static String randomShape(HeadModel m, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < m.numShape(); k++) {
            if (k > 0) b.append(',');
            b.append(k).append('=').append(String.format(java.util.Locale.ROOT, "%.4f", r.nextGaussian()));
        }
        return b.toString();
    }

    private static String describe(Shot s) {
        List<String> parts = new ArrayList<>();
        if (s.shape() != null) parts.add("shape " + (s.shape().length() > 40 ? "random N(0,1)" : s.shape()));
        if (s.expression() != null) parts.add("expression " + s.expression());
        if (!s.pose().isEmpty()) parts.add("pose " + String.join(" ", s.pose()));
        return String.join("; ", parts);
    }
}
