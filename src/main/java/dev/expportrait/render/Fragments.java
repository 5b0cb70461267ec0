package dev.expportrait.render;

import org.bytedeco.pytorch.Tensor;

/**
 * The covered pixels of a batch of frames with barycentrics that are differentiable in the vertex positions,
 * made by {@link Interpolate#fragments}. N is the number of covered pixels over all frames.
 *
 * @param frames T
 * @param height H, pixels
 * @param width W, pixels
 * @param vertexCount V, vertices per frame
 * @param frame [N] int64 frame index of each covered pixel
 * @param pixel [N] int64 flat pixel index y * W + x within its frame
 * @param corners [N, 3] int64 vertex indices of the triangle that covers the pixel
 * @param bary [N, 3] perspective-correct barycentrics (sum to 1), float type of the positions
 * @param triangle [N] the face index covering each pixel (for attributes with their own topology, like UVs)
 */
public record Fragments(int frames, int height, int width, long vertexCount,
                        Tensor frame, Tensor pixel, Tensor corners, Tensor bary, int[] triangle) {

    /** Number of covered pixels N. */
    public long count() {
        return frame.size(0);
    }
}
