package dev.expportrait.transfer;

import dev.expportrait.tensor.Parameters;

import dev.expportrait.tensor.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The driving-signal encoder E of Eq. 8: c_{1:T} = E(psi_{1:T}, theta^jaw_{1:T}). Two temporal convolutions
 * (kernel {@code kernel}, edge frames repeated at the ends, SiLU) and a per-frame linear layer map the
 * expression coefficients and jaw pose of each frame and its neighbours to one code per frame. The receptive
 * field is 2 (kernel - 1) + 1 frames; at kernel 1 (the default, {@link TransferModel.Sizes#defaults}) each code
 * is a per-frame MLP of its own frame's drivers, as smooth in time as they are.
 */
final class ExpressionEncoder {
    private final int kernel;
    private final Tensor w1, b1, w2, b2, w3, b3;

    /**
     * @param drivers D = E + 3 driving values per frame
     * @param hidden channels of the convolutions
     * @param code C, the code size
     */
    ExpressionEncoder(Parameters p, int drivers, int hidden, int code, int kernel) {
        if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("kernel " + kernel + " must be odd");
        this.kernel = kernel;
        w1 = p.weight("encoder.conv1.weight", kernel * drivers, hidden, 1);
        b1 = p.zeros("encoder.conv1.bias", hidden);
        w2 = p.weight("encoder.conv2.weight", kernel * hidden, hidden, 1);
        b2 = p.zeros("encoder.conv2.bias", hidden);
        w3 = p.weight("encoder.out.weight", hidden, code, 1);
        b3 = p.zeros("encoder.out.bias", code);
    }

    /**
     * @param drivers [B, T, D] expression coefficients and jaw axis-angle per frame
     * @return codes [B, T, C]
     */
    Tensor encode(Tensor drivers) {
        Tensor h = torch.silu(windows(drivers).matmul(w1).add(b1));
        h = torch.silu(windows(h).matmul(w2).add(b2));
        return h.matmul(w3).add(b3);
    }

    /** Each frame with its kernel - 1 neighbours, side by side: [B, T, D] to [B, T, kernel * D]. */
    private Tensor windows(Tensor x) {
        long b = x.size(0), t = x.size(1), d = x.size(2);
        int half = kernel / 2;
        if (half == 0) return x;
        Tensor first = x.narrow(1, 0, 1).expand(b, half, d);
        Tensor last = x.narrow(1, t - 1, 1).expand(b, half, d);
        Tensor padded = Tensors.cat(1, first, x, last);
        Tensor[] shifted = new Tensor[kernel];
        for (int k = 0; k < kernel; k++) shifted[k] = padded.narrow(1, k, t);
        return Tensors.cat(2, shifted);
    }
}
