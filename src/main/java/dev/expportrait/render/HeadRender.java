package dev.expportrait.render;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadParameters;
import dev.expportrait.head.PinholeCamera;
import dev.expportrait.tensor.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Renders one posed frame of a {@link DenseHead} to images: normal map, depth, mask, a shaded RGB preview
 * with region colours, and the projected landmarks over it. What {@code expportrait render} and the demo write.
 */
public final class HeadRender {
    private final DenseHead head;
    private final EdgeTopology topology;
    private final Tensor colors;

    /** The kinds of image this class writes, by file name. */
    public enum Kind { normal, depth, rgb, mask, landmarks }

    /** One rendered frame: images by kind, the raw depth [H, W] (metres, 0 empty) and the camera. */
    public record Frame(Map<Kind, MapImages.Rgb> images, float[] depth, PinholeCamera camera) {}

    public HeadRender(DenseHead head) {
        this.head = head;
        this.topology = EdgeTopology.of(head.faces());
        HeadModel m = head.model();
        this.colors = Tensors.floats(RegionPalette.colors(head.regions(), m.regionNames(), head.numVertices()), head.numVertices(), 3);
    }

    /**
     * Poses and renders {@code params}; {@code camera} null frames the posed mesh ({@link Framing#portrait}).
     */
    public Frame render(HeadParameters params, int size, PinholeCamera camera) {
        try (PointerScope scope = new PointerScope()) {
            HeadModel m = head.model();
            Tensor posed = head.pose(Tensors.floats(params.betas(), 1, m.numShape()),
                    Tensors.floats(params.expression(), 1, m.numExpression()),
                    Tensors.floats(params.pose(), 1, m.numJoints(), 3), null, null, null).vertices();
            return render(posed, size, camera);
        }
    }

    /**
     * Renders already posed dense vertices [1, Vd, 3] (for example with detail offsets, Eq. 3-4);
     * {@code camera} null frames them.
     */
    public Frame render(Tensor posed, int size, PinholeCamera camera) {
        try (PointerScope scope = new PointerScope()) {
            PinholeCamera cam = camera != null ? camera : Framing.portrait(Tensors.toFloats(posed), size);
            MapRenderer.Maps maps = MapRenderer.render(posed, head.faces(), topology, cam, true, Albedo.vertexColors(colors));
            Tensor rgb = Shading.shade(maps.normal(), maps.albedo(), maps.mask(), Shading.Setup.STUDIO);
            float[] mask = Tensors.toFloats(maps.mask());
            int[] triangle = maps.rasters().get(0).triangle();
            boolean[] covered = new boolean[triangle.length];
            for (int i = 0; i < triangle.length; i++) covered[i] = triangle[i] >= 0;
            // Exact camera z from the raster (the interpolated depth is blended with 0 at the rim).
            float[] depth = maps.rasters().get(0).depth().clone();
            Map<Kind, MapImages.Rgb> images = new EnumMap<>(Kind.class);
            images.put(Kind.normal, MapImages.normals(Tensors.toFloats(maps.normal()), covered, size, size));
            images.put(Kind.rgb, MapImages.colors(Tensors.toFloats(rgb), size, size));
            images.put(Kind.mask, MapImages.colors(expand(mask), size, size));
            images.put(Kind.depth, MapImages.depthPreview(depth, covered, size, size));
            float[] lmk = Tensors.toFloats(cam.project(head.landmarks().evaluate(posed)));
            images.put(Kind.landmarks, MapImages.overlayPoints(images.get(Kind.rgb), lmk, new int[] {60, 255, 90}));
            return new Frame(images, depth, cam);
        }
    }

    /** Writes the chosen kinds as {@code <prefix><kind>.png} ({@code depth} as 16-bit metric PNG); returns the paths. */
    public static List<Path> write(Frame frame, Path dir, String prefix, List<Kind> kinds, Map<String, String> provenance) {
        List<Path> out = new ArrayList<>();
        for (Kind k : kinds) {
            Path p = dir.resolve(prefix + k + ".png");
            Map<String, String> text = new LinkedHashMap<>(provenance);
            text.put("map", k.name());
            if (k == Kind.depth) {
                MapImages.writeDepth(p, frame.depth(), frame.images().get(k).width(), frame.images().get(k).height(), text);
            } else {
                frame.images().get(k).writePng(p, text);
            }
            out.add(p);
        }
        return out;
    }

    private static float[] expand(float[] grey) {
        float[] out = new float[grey.length * 3];
        for (int i = 0; i < grey.length; i++) out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = grey[i];
        return out;
    }
}
