package dev.expportrait.fit;

import dev.expportrait.head.DenseHead;
import dev.expportrait.render.MapImages;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of a fit's overlay video: the normal map of the fitted, detailed, posed mesh of each frame
 * (Eq. 3-4, rendered through that frame's fitted camera) blended over the clip's own frame where the
 * mesh covers it, so a user sees at a glance where the fit sits on the face and where it slips.
 */
public final class FitOverlay {
    /** Opacity of the rendered normals over the frame: enough to read the shape, still showing the face below. */
    public static final float ALPHA = 0.6f;

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
        List<byte[]> out = new ArrayList<>(t);
        for (HeadMaps.Frame f : HeadMaps.render(head, fit, 0, t, w, h)) out.add(blend(obs, out.size(), f));
        return out;
    }

    private static byte[] blend(Observations obs, int t, HeadMaps.Frame rendered) {
        int w = obs.width(), h = obs.height();
        boolean[] covered = rendered.covered();
        MapImages.Rgb frame = new MapImages.Rgb(w, h, obs.rgb() == null ? new byte[w * h * 3] : obs.rgb()[t]);
        return MapImages.blend(frame, rendered.image(), covered, ALPHA).data();
    }
}
