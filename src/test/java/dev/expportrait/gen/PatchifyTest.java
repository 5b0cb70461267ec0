package dev.expportrait.gen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class PatchifyTest {
    @Test
    void unpatchifyInvertsPatchifyAndTokensHoldTheirTwoByTwoPixels() {
        int b = 2, c = 3, t = 2, h = 4, w = 6;
        float[] v = new float[b * c * t * h * w];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Tensor latents = Tensors.floats(v, b, c, t, h, w);
        Tensor tokens = Patchify.patchify(latents);
        assertThat(Tensors.shape(tokens)).containsExactly(b, t * 2 * 3, 4 * c);
        assertThat(Tensors.toFloats(Patchify.unpatchify(tokens, c, t, h, w))).containsExactly(v);
        // Token (batch 1, frame 1, patch row 1, patch column 2), channel 2, pixel (1, 0): latent [1, 2, 1, 3, 4].
        float[] tk = Tensors.toFloats(tokens);
        int token = (1 * 2 + 1) * 3 + 2, value = 2 * 4 + 1 * 2 + 0;
        int latent = (((1 * c + 2) * t + 1) * h + 3) * w + 4;
        assertThat(tk[(1 * (t * 6) + token) * 4 * c + value]).isEqualTo(v[latent]);
    }
}
