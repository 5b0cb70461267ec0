package dev.expportrait.fit;

/**
 * How far a target silhouette reaches beyond a rendered one, on average along the rendered outline: the
 * target's area outside the render divided by the length of the render's outline, over the image rows
 * above {@code rows}. Used to size the hair prior of Sec. 3.1.3 from the mask (a bald head gives about 0).
 */
final class SilhouetteGap {
    private SilhouetteGap() {}

    /**
     * @param covered [H, W] pixels the rendered (bare) head covers
     * @param target [H, W] target mask in [0, 1]; inside means > 0.5
     * @param rows only rows 0 .. rows-1 count (e.g. those above the eyes)
     * @return the mean gap in pixels, 0 when the render has no outline there
     */
    static double meanGap(boolean[] covered, float[] target, int width, int height, int rows) {
        double gap = 0, outline = 0;
        for (int y = 0; y < Math.min(rows, height); y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                if (!covered[p]) {
                    if (target[p] > 0.5f) gap++;
                } else if (x == 0 || !covered[p - 1] || x == width - 1 || !covered[p + 1] || y == 0 || !covered[p - width]
                        || y == height - 1 || !covered[p + width]) {
                    outline++;
                }
            }
        }
        return outline > 0 ? gap / outline : 0;
    }
}
