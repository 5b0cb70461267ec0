package dev.expportrait.render;

/**
 * The output of {@link Rasterizer} for one frame: which triangle each pixel sees, where on it, and how far.
 * Row-major, pixel (x, y) at index y * width + x. This is the discrete part of rendering; nothing here is
 * differentiable ({@link Interpolate} recomputes the barycentrics from vertex tensors).
 *
 * @param width pixels
 * @param height pixels
 * @param triangle [H * W] face index, -1 where no triangle covers the pixel centre
 * @param bary [H * W * 2] perspective-correct barycentrics (b0, b1) of the face's vertices 0 and 1;
 *     b2 = 1 - b0 - b1; zeros where empty
 * @param depth [H * W] camera-space z in metres of the visible surface, +inf where empty
 */
public record RasterBuffers(int width, int height, int[] triangle, float[] bary, float[] depth) {

    public RasterBuffers {
        int n = width * height;
        if (triangle.length != n || bary.length != 2 * n || depth.length != n) {
            throw new IllegalArgumentException("buffer sizes do not match " + width + "x" + height);
        }
    }

    /** Number of covered pixels. */
    public int coveredCount() {
        int n = 0;
        for (int t : triangle) {
            if (t >= 0) {
                n++;
            }
        }
        return n;
    }
}
