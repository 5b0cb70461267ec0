package dev.expportrait.fit;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.PinholeCamera;
import dev.expportrait.render.EdgeTopology;
import dev.expportrait.render.MapImages;
import dev.expportrait.render.MapRenderer;
import dev.expportrait.render.RasterBuffers;
import dev.expportrait.tensor.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Normal maps of a PersonalHead's detailed posed meshes (Eq. 3-4), each frame through its own camera: what
 * the fit overlay shows and what the generator (Sec. 3.3) is conditioned on. Frames are posed in chunks and
 * rendered in runs that share a focal length, each frame's principal point its own (camera shake).
 */
public final class HeadMaps {
    /** Frames posed at once: bounds the native memory of one chunk ([8, Vd, 3] and its LBS intermediates). */
    static final int CHUNK = 8;

    private HeadMaps() {}

    /**
     * One rendered frame.
     *
     * @param normals [H, W, 3] unit normals in the normal-map frame, 0 where nothing is seen
     * @param raster which triangle each pixel sees
     */
    public record Frame(float[] normals, RasterBuffers raster) {
        /** Pixels the mesh covers. */
        public boolean[] covered() {
            int[] triangle = raster.triangle();
            boolean[] c = new boolean[triangle.length];
            for (int i = 0; i < c.length; i++) c[i] = triangle[i] >= 0;
            return c;
        }

        /** The normal map as 8-bit RGB, (n + 1) / 2, black where nothing is seen. */
        public MapImages.Rgb image() {
            return MapImages.normals(normals, covered(), raster.width(), raster.height());
        }
    }

    /** Frames t0 .. t0+n-1 of {@code h} at {@code width} x {@code height} pixels; {@code head} is its model and level. */
    public static List<Frame> render(DenseHead head, PersonalHead h, int t0, int n, int width, int height) {
        EdgeTopology topology = EdgeTopology.of(head.faces());
        List<Frame> out = new ArrayList<>(n);
        for (int c0 = t0; c0 < t0 + n; c0 += CHUNK) {
            int m = Math.min(CHUNK, t0 + n - c0);
            try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                Tensor posed = h.pose(head, c0, m).vertices();
                for (int f = 0; f < m; ) {
                    int run = 1;
                    while (f + run < m && sameFocal(h, c0 + f, c0 + f + run)) run++;
                    PinholeCamera first = h.camera(c0 + f, width, height);
                    float[] shift = new float[run * 2];
                    for (int i = 0; i < run; i++) {
                        PinholeCamera c = h.camera(c0 + f + i, width, height);
                        shift[2 * i] = (float) (c.cx() - first.cx());
                        shift[2 * i + 1] = (float) (c.cy() - first.cy());
                    }
                    MapRenderer.Maps maps = MapRenderer.render(posed.narrow(0, f, run), head.faces(), topology, first, shift, false, null);
                    float[] normals = Tensors.toFloats(maps.normal());
                    int per = width * height * 3;
                    for (int i = 0; i < run; i++) {
                        out.add(new Frame(Arrays.copyOfRange(normals, i * per, (i + 1) * per), maps.rasters().get(i)));
                    }
                    f += run;
                }
            }
        }
        return out;
    }

    /** Every frame's normal map at the head's own image size. */
    public static List<MapImages.Rgb> normalImages(DenseHead head, PersonalHead h) {
        return render(head, h, 0, h.frames(), h.width(), h.height()).stream().map(Frame::image).toList();
    }

    private static boolean sameFocal(PersonalHead h, int a, int b) {
        float[] k = h.intrinsics();
        return k[a * 4] == k[b * 4] && k[a * 4 + 1] == k[b * 4 + 1];
    }
}
