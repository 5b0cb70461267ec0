package dev.expportrait.render;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Where a rendered surface takes its colour from: per-vertex colours, or a UV texture image sampled
 * bilinearly (libtorch's grid sampler, differentiable in the image and in the UVs).
 */
public sealed interface Albedo {

    /** The albedo image [T, H, W, C] of the covered pixels (zeros elsewhere). */
    Tensor render(Fragments fragments);

    /** @param colors [V, C] or [T, V, C] values, usually RGB in [0, 1] */
    static Albedo vertexColors(Tensor colors) {
        return new VertexColors(colors);
    }

    /**
     * @param uvs [Vt, 2] texture coordinates, OBJ convention: (0, 0) is the image's bottom-left corner
     * @param uvFaces [F, 3] UV indices per mesh face (UVs may have seams)
     * @param image [C, Ht, Wt] texture, row 0 at the top
     */
    static Albedo texture(float[] uvs, int[] uvFaces, Tensor image) {
        return new Texture(uvs, uvFaces, image);
    }

    /** Per-vertex colours. */
    record VertexColors(Tensor colors) implements Albedo {
        @Override
        public Tensor render(Fragments fragments) {
            return Interpolate.interpolate(fragments, colors);
        }
    }

    /** A UV-mapped texture image. */
    record Texture(float[] uvs, int[] uvFaces, Tensor image) implements Albedo {
        @Override
        public Tensor render(Fragments fragments) {
            Tensor uv = Interpolate.perFragment(fragments, Tensors.floats(uvs, uvs.length / 2, 2).to(image.scalar_type()), uvFaces);
            return Interpolate.toImage(fragments, sample(image, uv));
        }

        /**
         * Bilinear lookup of {@code image} [C, Ht, Wt] at {@code uv} [N, 2] (OBJ convention), border clamped:
         * [N, C]. Differentiable in both.
         */
        public static Tensor sample(Tensor image, Tensor uv) {
            // grid_sampler wants x, y in [-1, 1] with y = -1 at the top row; OBJ's v runs upwards.
            Tensor gx = uv.narrow(1, 0, 1).mul(Tensors.scalar(2)).sub(Tensors.scalar(1));
            Tensor gy = uv.narrow(1, 1, 1).mul(Tensors.scalar(-2)).add(Tensors.scalar(1));
            Tensor grid = Tensors.cat(1, gx, gy).reshape(1, 1, -1, 2);
            // interpolation 0 = bilinear, padding 1 = border, align_corners false: texel centres at (i + 0.5) / size
            return torch.grid_sampler(image.unsqueeze(0), grid, 0, 1, false).reshape(image.size(0), -1).t();
        }
    }
}
