package dev.expportrait.gen;

import dev.expportrait.tensor.Parameters;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The two condition encoders of Sec. 3.3, each down to the VAE's latent grid (4x in space): the pose encoder,
 * causal 3D convolutions over the control video (rendered normal maps, [B, 3, 1 + 4k, H, W] in [-1, 1]) that
 * also compress time like the VAE (to 1 + k frames), and the reference encoder, 2D convolutions (kernel 1 in
 * time) over the reference image ([B, 3, 1, H, W]). Both: a convolution, two stride-2 downsamplings, an output
 * convolution, SiLU between.
 */
public final class ControlEncoders {
    private final CausalConv3d in, down1, down2, out;

    private ControlEncoders(Parameters p, String name, int channels, int outChannels, boolean temporal) {
        int kt = temporal ? 3 : 1, st = temporal ? 2 : 1;
        in = new CausalConv3d(p, name + ".in", 3, channels, kt, 3, 1, 1);
        down1 = new CausalConv3d(p, name + ".down1", channels, channels, kt, 3, st, 2);
        down2 = new CausalConv3d(p, name + ".down2", channels, 2 * channels, kt, 3, st, 2);
        out = new CausalConv3d(p, name + ".out", 2 * channels, outChannels, 1, 3, 1, 1);
    }

    /** The pose encoder: [B, 3, 1 + 4k, H, W] to [B, out, 1 + k, H/4, W/4], causal in time. */
    public static ControlEncoders pose(Parameters p, int channels, int outChannels) {
        return new ControlEncoders(p, "pose", channels, outChannels, true);
    }

    /** The reference encoder: [B, 3, 1, H, W] to [B, out, 1, H/4, W/4]. */
    public static ControlEncoders reference(Parameters p, int channels, int outChannels) {
        return new ControlEncoders(p, "reference", channels, outChannels, false);
    }

    public Tensor apply(Tensor x) {
        Tensor h = torch.silu(in.apply(x));
        h = torch.silu(down1.apply(h));
        h = torch.silu(down2.apply(h));
        return out.apply(h);
    }
}
