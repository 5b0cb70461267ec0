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
 * The frames of a fit's overlay video: the normal map of the fitted, detailed, posed mesh of each frame
 * (Eq. 3-4, rendered through that frame's fitted camera) blended over the clip's own frame where the
 * mesh covers it, so a user sees at a glance where the fit sits on the face and where it slips.
 */
public final class FitOverlay {
    /** Opacity of the rendered normals over the frame: enough to read the shape, still showing the face below. */
    public static final float ALPHA = 0.6f;
    /** Frames posed at once: bounds the native memory of one chunk ([8, Vd, 3] and its LBS intermediates). */
    static final int CHUNK = 8;

    private FitOverlay() {}

    /**
     * @param head the dense head the fit used (same model and level)
     * @param fit the fitted head, T frames
     * @param obs the observations it was fitted to (T frames of W x H); frames without RGB show on black
     * @return T frames, each W x H x 3 bytes RGB8
     */
    public static List<byte[]> frames(DenseHead head, PersonalHead fit, Observations obs) {
        int t = fit.frames(), w = obs.width(), h = obs.height();
        if (obs.frames() != t) {
            throw new IllegalArgumentException("fit has " + t + " frames, observations " + obs.frames());
        }
        EdgeTopology topology = EdgeTopology.of(head.faces());
        List<byte[]> out = new ArrayList<>(t);
        for (int t0 = 0; t0 < t; t0 += CHUNK) {
            int n = Math.min(CHUNK, t - t0);
            try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                Tensor posed = fit.pose(head, t0, n).vertices();
                // The chunk renders at once through frame t0's camera, each frame's principal point moved
                // to its own (camera shake); a chunk whose focal lengths differ renders frame by frame.
                for (int f = 0; f < n; ) {
                    int run = 1;
                    while (f + run < n && sameFocal(fit, t0 + f, t0 + f + run)) run++;
                    PinholeCamera first = fit.camera(t0 + f, w, h);
                    float[] shift = new float[run * 2];
                    for (int i = 0; i < run; i++) {
                        PinholeCamera c = fit.camera(t0 + f + i, w, h);
                        shift[2 * i] = (float) (c.cx() - first.cx());
                        shift[2 * i + 1] = (float) (c.cy() - first.cy());
                    }
                    MapRenderer.Maps maps = MapRenderer.render(posed.narrow(0, f, run), head.faces(), topology, first, shift, false, null);
                    float[] normals = Tensors.toFloats(maps.normal());
                    int per = w * h * 3;
                    for (int i = 0; i < run; i++) {
                        out.add(blend(obs, t0 + f + i, Arrays.copyOfRange(normals, i * per, (i + 1) * per), maps.rasters().get(i)));
                    }
                    f += run;
                }
            }
        }
        return out;
    }

    private static boolean sameFocal(PersonalHead fit, int a, int b) {
        float[] k = fit.intrinsics();
        return k[a * 4] == k[b * 4] && k[a * 4 + 1] == k[b * 4 + 1];
    }

    private static byte[] blend(Observations obs, int t, float[] normals, RasterBuffers raster) {
        int w = obs.width(), h = obs.height();
        int[] triangle = raster.triangle();
        boolean[] covered = new boolean[triangle.length];
        for (int i = 0; i < triangle.length; i++) covered[i] = triangle[i] >= 0;
        MapImages.Rgb frame = new MapImages.Rgb(w, h, obs.rgb() == null ? new byte[w * h * 3] : obs.rgb()[t]);
        return MapImages.blend(frame, MapImages.normals(normals, covered, w, h), covered, ALPHA).data();
    }
}
