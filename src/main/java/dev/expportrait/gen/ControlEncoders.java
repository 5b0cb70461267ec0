package dev.expportrait.gen;

import dev.expportrait.tensor.Parameters;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The two condition encoders of Sec. 3.3, each down to the VAE's latent grid (4x in space): the pose encoder,
 * causal 3D convolutions over the control video (rendered normal maps, [B, 3, 1 + 4k, H, W] in [-1, 1]) that
 * also compress time like the VAE (to 1 + k frames), and the reference encoder, 2D convolutions (kernel 1
 * in time) over the reference image ([B, 3, 1, H, W]).
 */
public final class ControlEncoders {
    private ControlEncoders() {}

    /** 3D convolutions: [B, 3, 1 + 4k, H, W] to [B, out, 1 + k, H/4, W/4]. */
    public static final class Pose {
        private final CausalConv3d in, down1, down2, out;

        public Pose(Parameters p, int channels, int outChannels) {
            in = new CausalConv3d(p, "pose.in", 3, channels, 3, 3, 1, 1);
            down1 = new CausalConv3d(p, "pose.down1", channels, channels, 3, 3, 2, 2);
            down2 = new CausalConv3d(p, "pose.down2", channels, 2 * channels, 3, 3, 2, 2);
            out = new CausalConv3d(p, "pose.out", 2 * channels, outChannels, 1, 3, 1, 1);
        }

        public Tensor apply(Tensor control) {
            Tensor h = torch.silu(in.apply(control));
            h = torch.silu(down1.apply(h));
            h = torch.silu(down2.apply(h));
            return out.apply(h);
        }
    }

    /** 2D convolutions: [B, 3, 1, H, W] to [B, out, 1, H/4, W/4]. */
    public static final class Reference {
        private final CausalConv3d in, down1, down2, out;

        public Reference(Parameters p, int channels, int outChannels) {
            in = new CausalConv3d(p, "reference.in", 3, channels, 1, 3, 1, 1);
            down1 = new CausalConv3d(p, "reference.down1", channels, channels, 1, 3, 1, 2);
            down2 = new CausalConv3d(p, "reference.down2", channels, 2 * channels, 1, 3, 1, 2);
            out = new CausalConv3d(p, "reference.out", 2 * channels, outChannels, 1, 3, 1, 1);
        }

        public Tensor apply(Tensor image) {
            Tensor h = torch.silu(in.apply(image));
            h = torch.silu(down1.apply(h));
            h = torch.silu(down2.apply(h));
            return out.apply(h);
        }
    }
}
