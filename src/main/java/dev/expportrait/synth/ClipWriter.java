package dev.expportrait.synth;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.PinholeCamera;
import dev.expportrait.head.Regions;
import dev.expportrait.io.Mp4;
import dev.expportrait.io.NdArray;
import dev.expportrait.io.Png;
import dev.expportrait.io.SafeTensors;
import dev.expportrait.render.Albedo;
import dev.expportrait.render.EdgeTopology;
import dev.expportrait.render.Framing;
import dev.expportrait.render.MapImages;
import dev.expportrait.render.MapRenderer;
import dev.expportrait.render.RasterBuffers;
import dev.expportrait.render.Shading;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Renders one synthetic clip (an identity performing a motion) and writes it with its exact ground truth
 * and its degraded "estimated" observations:
 * <pre>
 * rgb/NNNNNN.png, video.mp4          shaded frames (8-bit RGB), and the same as H.264
 * normal/, depth/, mask/             ground-truth maps (normal-map frame RGB, 16-bit metric depth, 0/255 mask)
 * estimated/normal/, estimated/depth/  the maps as an estimator would give them ({@link Degradation})
 * clip.safetensors                   betas [S], expression [T,E], pose [T,J,3], translation [T,3],
 *                                    intrinsics [T,4] (fx, fy, cx, cy per frame: the principal point carries the
 *                                    camera shake), rotation [3,3], cameraTranslation [3],
 *                                    identityOffsets [Vd,3], faceVertices [Nf], expressionOffsets [T,Nf,3] (f16,
 *                                    zero elsewhere), landmarks and landmarksEstimated [T,68,2] px, depthScale [T]
 * </pre>
 * Frames are shaded from the identity's procedural albedo texture ({@link AlbedoTexture}) over its
 * {@link Background}. Everything follows from the seeds: the same seeds give the same bytes.
 *
 * <p>Version 2 stores intrinsics per frame ([T, 4]; version 1 had one row [4]).
 */
public final class ClipWriter {
    public static final String FORMAT = "expportrait.synth-clip";
    public static final String VERSION = "2";
    private static final int CHUNK = 8;

    private final HeadModel model;
    private final DenseHead head;
    private final EdgeTopology topology;
    private final Degradation degradation;
    private final int[] faceVertices;
    private final DenseHead.Uvs uvs;
    private final Map<Integer, UvRaster> uvRasters = new java.util.HashMap<>();

    public ClipWriter(DenseHead head, Degradation degradation) {
        this.model = head.model();
        this.head = head;
        this.topology = EdgeTopology.of(head.faces());
        this.degradation = degradation;
        this.faceVertices = Regions.faceVertices(head.regions());
        this.uvs = head.denseUvs();
        if (uvs == null) {
            throw new IllegalArgumentException("model " + model.name() + " has no UVs: the synthetic world paints UV textures");
        }
    }

    /** Texture side for images of {@code size} px: about two texels per pixel, 256 to 1024. */
    static int textureSize(int size) {
        return Math.max(256, Math.min(1024, Integer.highestOneBit(2 * size)));
    }

    /** The identity's albedo texture [S, S, 3] for images of {@code size} px. */
    float[] texture(Appearance look, NeutralMesh neutral, int size) {
        UvRaster raster = uvRasters.computeIfAbsent(textureSize(size), s -> UvRaster.of(uvs.uvs(), uvs.uvFaces(), s));
        return AlbedoTexture.paint(look, neutral, head.faces(), raster);
    }

    /** What a clip is made of, for the manifest. */
    public record Clip(String path, long identitySeed, long motionSeed, int frames, double fps, int size) {}

    /**
     * A clip rendered in memory and not yet written: the output of {@link #render}, the input of {@link #save}.
     *
     * @param faceOffsets [T, Nf, 3] D_exp on the face vertices
     * @param rasters per frame: which triangle each pixel sees, and its depth
     * @param normals [T, H, W, 3] ground-truth normal maps
     * @param rgb per frame [H, W, 3] shaded 8-bit RGB
     * @param landmarks [T, L, 2] pixels, each frame projected with its own camera
     * @param intrinsics [T, 4] fx, fy, cx, cy per frame
     */
    public record Rendered(Path dir, Path root, Identity identity, Appearance look, Motion motion, long motionSeed, int size,
                           Map<String, String> provenance, PinholeCamera camera, float[] identityOffsets, float[] faceOffsets,
                           List<RasterBuffers> rasters, float[] normals, byte[][] rgb, float[] landmarks, float[] intrinsics) {
        int frames() {
            return motion.frames();
        }
    }

    /** Renders and writes the clip into {@code dir}. */
    public Clip write(Path dir, Path root, Identity identity, long motionSeed, int frames, double fps, int size,
                      Map<String, String> provenance) {
        return save(render(dir, root, identity, motionSeed, frames, fps, size, provenance));
    }

    /**
     * Samples the motion, evaluates the detail fields, poses and renders every frame: all the tensor work
     * of a clip, nothing written yet.
     */
    public Rendered render(Path dir, Path root, Identity identity, long motionSeed, int frames, double fps, int size,
                           Map<String, String> provenance) {
        Motion motion = Motions.sample(motionSeed, model, frames, fps);
        Appearance look = Appearance.of(identity);
        NeutralMesh neutral = NeutralMesh.of(identity, head);
        int vd = head.numVertices();
        float[] identityOffsets = IdentityField.evaluate(identity, neutral);
        ExpressionField field = ExpressionField.of(identity, neutral, model);
        float[] expressionOffsets = new float[frames * vd * 3];
        float[] faceOffsets = new float[frames * faceVertices.length * 3];
        for (int t = 0; t < frames; t++) {
            float[] d = field.evaluate(motion.expressionAt(t), motion.jointAt(t, dev.expportrait.head.Joints.JAW));
            System.arraycopy(d, 0, expressionOffsets, t * vd * 3, vd * 3);
            for (int i = 0; i < faceVertices.length; i++) {
                System.arraycopy(d, faceVertices[i] * 3, faceOffsets, (t * faceVertices.length + i) * 3, 3);
            }
        }
        // Rendering only, no gradients: skip autograd's bookkeeping, and render in chunks of frames so the
        // per-pixel tensors stay small enough for the caches.
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            float[] betas = identity.betas();
            float[] betaRows = new float[frames * betas.length];
            for (int t = 0; t < frames; t++) System.arraycopy(betas, 0, betaRows, t * betas.length, betas.length);
            Tensor posed = head.pose(Tensors.floats(betaRows, frames, betas.length), motion.expressionTensor(), motion.poseTensor(),
                    motion.translationTensor(), Tensors.floats(identityOffsets, vd, 3), Tensors.floats(expressionOffsets, frames, vd, 3)).vertices();
            // One camera per clip, framing the identity's neutral bust; frame t moves its principal point by shift[t].
            PinholeCamera cam = Framing.portrait(neutral.vertices(), size);
            float[] shift = motion.principalShift(cam.fx(), cam.fy());
            int texSize = textureSize(size);
            Tensor textureImage = Tensors.floats(texture(look, neutral, size), texSize, texSize, 3).permute(2, 0, 1).contiguous();
            Albedo albedo = Albedo.texture(uvs.uvs(), uvs.uvFaces(), textureImage);
            float[] background = look.background().image(size, size);
            int px = size * size;
            byte[][] rgb = new byte[frames][];
            float[] normals = new float[frames * px * 3];
            List<RasterBuffers> rasters = new ArrayList<>();
            for (int t0 = 0; t0 < frames; t0 += CHUNK) {
                int n = Math.min(CHUNK, frames - t0);
                try (PointerScope chunk = new PointerScope()) {
                    float[] chunkShift = Arrays.copyOfRange(shift, 2 * t0, 2 * (t0 + n));
                    MapRenderer.Maps maps = MapRenderer.render(posed.narrow(0, t0, n), head.faces(), topology, cam, chunkShift, true, albedo);
                    float[] albedoRgb = Tensors.toFloats(maps.albedo()), coverage = Tensors.toFloats(maps.mask());
                    System.arraycopy(Tensors.toFloats(maps.normal()), 0, normals, t0 * px * 3, n * px * 3);
                    int first = t0;
                    IntStream.range(0, n).parallel().forEach(i -> rgb[first + i] = Shading.shade8(
                            Arrays.copyOfRange(normals, (first + i) * px * 3, (first + i + 1) * px * 3),
                            Arrays.copyOfRange(albedoRgb, i * px * 3, (i + 1) * px * 3),
                            Arrays.copyOfRange(coverage, i * px, (i + 1) * px), Shading.Setup.STUDIO, background));
                    rasters.addAll(maps.rasters());
                }
            }
            float[] landmarks = Tensors.toFloats(cam.project(head.landmarks().evaluate(posed)));
            int l = landmarks.length / frames / 2;
            float[] intrinsics = new float[frames * 4];
            for (int t = 0; t < frames; t++) {
                for (int k = 0; k < l; k++) {
                    landmarks[(t * l + k) * 2] += shift[2 * t];
                    landmarks[(t * l + k) * 2 + 1] += shift[2 * t + 1];
                }
                intrinsics[4 * t] = (float) cam.fx();
                intrinsics[4 * t + 1] = (float) cam.fy();
                intrinsics[4 * t + 2] = (float) (cam.cx() + shift[2 * t]);
                intrinsics[4 * t + 3] = (float) (cam.cy() + shift[2 * t + 1]);
            }
            return new Rendered(dir, root, identity, look, motion, motionSeed, size, provenance, cam, identityOffsets, faceOffsets,
                    rasters, normals, rgb, landmarks, intrinsics);
        }
    }

    /**
     * Writes a rendered clip: the frames and maps as PNG (with the degraded estimates) and MP4, then the
     * tensors. Pure Java, no tensors: it may run on another thread while the next clip renders.
     */
    public Clip save(Rendered r) {
        int frames = r.frames(), size = r.size(), px = size * size;
        Path dir = r.dir();
        Map<String, String> provenance = r.provenance();
        float[] landmarksEstimated = degradation.landmarks(r.landmarks(), frames, size, r.motionSeed() * 31 + 1);
        float[] depthScale = new float[frames];
        // Frames are independent from here on (their own seeds and files): encode them on all cores.
        IntStream.range(0, frames).parallel().forEach(t -> {
            String name = String.format(Locale.ROOT, "%06d.png", t);
            int[] triangle = r.rasters().get(t).triangle();
            boolean[] mask = new boolean[px];
            byte[] maskBytes = new byte[px];
            for (int p = 0; p < px; p++) {
                mask[p] = triangle[p] >= 0;
                maskBytes[p] = (byte) (mask[p] ? 255 : 0);
            }
            new MapImages.Rgb(size, size, r.rgb()[t]).writePng(dir.resolve("rgb").resolve(name), provenance);
            float[] n = Arrays.copyOfRange(r.normals(), t * px * 3, (t + 1) * px * 3);
            MapImages.normals(n, mask, size, size).writePng(dir.resolve("normal").resolve(name), provenance);
            float[] depth = r.rasters().get(t).depth();
            MapImages.writeDepth(dir.resolve("depth").resolve(name), depth, size, size, provenance);
            Png.writeGray8(dir.resolve("mask").resolve(name), size, size, maskBytes, provenance);
            long frameSeed = r.motionSeed() * 1_000_003L + t;
            MapImages.normals(degradation.normals(n, mask, size, size, frameSeed), mask, size, size)
                    .writePng(dir.resolve("estimated").resolve("normal").resolve(name), provenance);
            double[] scale = new double[1];
            MapImages.writeDepth(dir.resolve("estimated").resolve("depth").resolve(name),
                    degradation.depth(depth, mask, frameSeed + 7, scale), size, size, provenance);
            depthScale[t] = (float) scale[0];
        });
        Mp4.write(dir.resolve("video.mp4"), Arrays.asList(r.rgb()), size, size, r.motion().fps(), provenance);

        Motion motion = r.motion();
        PinholeCamera cam = r.camera();
        float[] betas = r.identity().betas();
        int l = r.landmarks().length / frames / 2;
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("betas", NdArray.ofFloats(betas, betas.length));
        arrays.put("expression", NdArray.ofFloats(motion.expression(), frames, model.numExpression()));
        arrays.put("pose", NdArray.ofFloats(motion.pose(), frames, model.numJoints(), 3));
        arrays.put("translation", NdArray.ofFloats(motion.translation(), frames, 3));
        arrays.put("intrinsics", NdArray.ofFloats(r.intrinsics(), frames, 4));
        arrays.put("rotation", NdArray.ofDoubles(cam.rotation(), 3, 3));
        arrays.put("cameraTranslation", NdArray.ofDoubles(cam.translation(), 3));
        arrays.put("identityOffsets", NdArray.ofFloats(r.identityOffsets(), head.numVertices(), 3));
        arrays.put("faceVertices", NdArray.ofInts(faceVertices, faceVertices.length));
        arrays.put("expressionOffsets", NdArray.ofFloatsAsF16(r.faceOffsets(), frames, faceVertices.length, 3));
        arrays.put("landmarks", NdArray.ofFloats(r.landmarks(), frames, l, 2));
        arrays.put("landmarksEstimated", NdArray.ofFloats(landmarksEstimated, frames, l, 2));
        arrays.put("depthScale", NdArray.ofFloats(depthScale, frames));
        Identity identity = r.identity();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.putAll(provenance);
        meta.put("identity_seed", Long.toString(identity.seed()));
        meta.put("motion_seed", Long.toString(r.motionSeed()));
        meta.put("age", String.format(Locale.ROOT, "%.2f", identity.age()));
        meta.put("hair_style", identity.hairStyle().name());
        meta.put("eye_colour", r.look().iris().name());
        meta.put("clothing_pattern", r.look().pattern().name());
        meta.put("background", r.look().background().kind().name());
        meta.put("fps", Double.toString(motion.fps()));
        meta.put("dense_vertices", Integer.toString(head.numVertices()));
        SafeTensors.write(dir.resolve("clip.safetensors"), arrays, meta);
        return new Clip(r.root().relativize(dir).toString(), identity.seed(), r.motionSeed(), frames, motion.fps(), size);
    }
}
