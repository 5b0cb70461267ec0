package dev.expportrait.gen;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;

/**
 * The DiT's patch embedding layout with patch (1, 2, 2) (Sec. 3.3): latents [B, C, T, H, W] to tokens
 * [B, T * H/2 * W/2, 4C], token order time-major then rows then columns, and each token's values channel-major
 * over its 2 x 2 pixels; {@link #unpatchify} is its exact inverse.
 */
public final class Patchify {
    private Patchify() {}

    public static Tensor patchify(Tensor latents) {
        long[] s = Tensors.shape(latents);
        long b = s[0], c = s[1], t = s[2], h = s[3], w = s[4];
        if (h % 2 != 0 || w % 2 != 0) throw new IllegalArgumentException("latent size " + h + "x" + w + " must be even for patch (1, 2, 2)");
        // [B, C, T, H/2, 2, W/2, 2] -> [B, T, H/2, W/2, C, 2, 2]
        return latents.reshape(b, c, t, h / 2, 2, w / 2, 2).permute(0, 2, 3, 5, 1, 4, 6).reshape(b, t * (h / 2) * (w / 2), c * 4);
    }

    /** Tokens [B, T * H/2 * W/2, 4C] back to latents [B, C, T, H, W]. */
    public static Tensor unpatchify(Tensor tokens, int channels, int frames, int height, int width) {
        long b = tokens.size(0);
        return tokens.reshape(b, frames, height / 2, width / 2, channels, 2, 2).permute(0, 4, 1, 2, 5, 3, 6)
                .reshape(b, channels, frames, height, width);
    }
}
