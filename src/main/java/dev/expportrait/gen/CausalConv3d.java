package dev.expportrait.gen;

import dev.expportrait.tensor.Parameters;
import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * A 3D convolution that is causal in time: output frame t sees input frames t - (kt - 1) .. t only (the first
 * frame repeated in front stands for the past before the video), with the time stride applied after that
 * padding, so with kernel 3 and stride 2 a clip of 1 + 2n frames becomes 1 + n frames and output 0 sees frame 0
 * alone. Space is padded symmetrically (kernel / 2). Input and output [B, C, T, H, W].
 */
final class CausalConv3d {
    private final Tensor weight, bias;
    private final int kt, kh, stride, spatialStride;

    /**
     * @param kt kernel frames (1 for a per-frame convolution)
     * @param k spatial kernel (odd)
     * @param stride time stride (1 or 2)
     * @param spatialStride space stride (1 or 2)
     */
    CausalConv3d(Parameters p, String name, int in, int out, int kt, int k, int stride, int spatialStride) {
        if (k % 2 == 0) throw new IllegalArgumentException("spatial kernel " + k + " must be odd");
        this.kt = kt;
        this.kh = k;
        this.stride = stride;
        this.spatialStride = spatialStride;
        double bound = 1 / Math.sqrt((double) in * kt * k * k);
        weight = p.uniform(name + ".weight", bound, out, in, kt, k, k);
        bias = p.zeros(name + ".bias", out);
    }

    Tensor apply(Tensor x) {
        // Channels-last (B, T, H, W, C in memory): libtorch's oneDNN convolution runs about 2x faster on it than on
        // the default layout here (BENCHMARKS.md); the conversion is a no-op for a channels-last input.
        Tensor padded = x.contiguous(torch.MemoryFormat.ChannelsLast3d);
        if (kt > 1) {
            long[] s = Tensors.shape(x);
            Tensor first = padded.narrow(2, 0, 1).expand(s[0], s[1], kt - 1, s[3], s[4]);
            first = first.contiguous(torch.MemoryFormat.ChannelsLast3d); // cat keeps the layout only when both parts have it
            padded = Tensors.cat(2, first, padded);
        }
        return torch.conv3d(padded, weight, new TensorOptional(bias), new long[] {stride, spatialStride, spatialStride},
                new long[] {0, kh / 2, kh / 2}, new long[] {1, 1, 1}, 1);
    }
}
