package dev.expportrait.render;

/**
 * Options of {@link Rasterizer}.
 *
 * @param cullBackFaces drop triangles whose normal (v1 - v0) x (v2 - v0) points away from the camera
 *     (they appear clockwise on screen); off by default, because fitting supervises both sides
 * @param near near plane, metres of camera z: a triangle with any vertex at z &lt; near is skipped whole
 *     (there is no clipping; heads sit far in front of the camera, so a triangle this close is an error
 *     to hide, not geometry to draw)
 */
public record RasterOptions(boolean cullBackFaces, double near) {

    /** Both faces drawn, near plane at 1 mm. */
    public static final RasterOptions DEFAULT = new RasterOptions(false, 1e-3);

    public RasterOptions {
        if (!(near > 0)) {
            throw new IllegalArgumentException("near plane must be positive: " + near);
        }
    }

    /** These options with back faces culled or kept. */
    public RasterOptions withCullBackFaces(boolean cull) {
        return new RasterOptions(cull, near);
    }
}
