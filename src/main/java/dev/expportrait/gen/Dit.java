package dev.expportrait.gen;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.tensor.Parameters;
import dev.expportrait.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * The DiT denoiser eps_theta(z_t, t, c) of Eq. 10 (Sec. 3.3). The noisy latent [B, C, T, h, w] and the pose
 * features on the same grid are patchified with patch (1, 2, 2) and concatenated channel-wise per token, then
 * embedded. The reference features (one frame on the same grid) enter twice: concatenated channel-wise to the
 * tokens of every frame at the same place (as the control features are; its embedding starts at zero), so
 * the static appearance can be copied where it is, and patchified, embedded and appended to the sequence (at
 * time -1 for the rotary embedding), so every token can attend to the reference's appearance anywhere.
 * Blocks: adaLN-Zero modulation by the timestep embedding, full spatio-temporal self-attention with 3D RoPE
 * (softmax(q k^T / sqrt(d)) v), an MLP; a final adaLN and linear layer (zero-initialised, so the
 * untrained network predicts zero noise) gives the noise of the latent tokens, unpatchified.
 */
public final class Dit {
    /**
     * @param latent C, latent channels (the VAE's)
     * @param pose channels of the pose features
     * @param reference channels of the reference features
     * @param hidden D, token width (heads x a multiple of 6)
     * @param depth blocks
     * @param heads attention heads
     */
    public record Sizes(int latent, int pose, int reference, int hidden, int depth, int heads) {
        public Sizes {
            if (latent < 1 || pose < 0 || reference < 0 || depth < 1 || heads < 1 || hidden % heads != 0 || (hidden / heads) % 6 != 0) {
                throw new IllegalArgumentException("DiT sizes out of range: " + this + " (hidden / heads must be a multiple of 6)");
            }
        }
    }

    private final Sizes sizes;
    private final Tensor embedW, embedB, embedRefW, refW, refB, nullRef, timeW1, timeB1, timeW2, timeB2, finalMod, finalModB, outW, outB;
    private final List<Block> blocks = new ArrayList<>();

    /** Declares its weights in {@code p} (under "dit."-free names: embed, reference, time, blockN, final). */
    public Dit(Parameters p, Sizes sizes) {
        this.sizes = sizes;
        int d = sizes.hidden(), in = 4 * (sizes.latent() + sizes.pose());
        embedW = p.weight("embed.weight", in, d, 1);
        embedB = p.zeros("embed.bias", d);
        embedRefW = p.zeros("embed.reference.weight", Math.max(1, 4 * sizes.reference()), d); // zero: starts as if absent
        refW = p.weight("reference.weight", Math.max(1, 4 * sizes.reference()), d, 1);
        refB = p.zeros("reference.bias", d);
        nullRef = p.zeros("reference.null", d); // the dropped reference (classifier-free guidance)
        timeW1 = p.weight("time.fc1.weight", d, d, 1);
        timeB1 = p.zeros("time.fc1.bias", d);
        timeW2 = p.weight("time.fc2.weight", d, d, 1);
        timeB2 = p.zeros("time.fc2.bias", d);
        for (int i = 0; i < sizes.depth(); i++) blocks.add(new Block(p, "block" + i, d, sizes.heads()));
        finalMod = p.zeros("final.modulation.weight", d, 2 * d);
        finalModB = p.zeros("final.modulation.bias", 2 * d);
        outW = p.zeros("final.out.weight", d, 4 * sizes.latent());
        outB = p.zeros("final.out.bias", 4 * sizes.latent());
    }

    public Sizes sizes() {
        return sizes;
    }

    /**
     * @param noisy z_t [B, C, T, h, w]
     * @param timesteps [B] 0-based
     * @param pose pose features [B, Cp, T, h, w], or null when the model has none
     * @param reference reference features [B, Cr, 1, h, w], or null for the dropped reference
     * @return predicted noise [B, C, T, h, w]
     */
    public Tensor predict(Tensor noisy, int[] timesteps, Tensor pose, Tensor reference) {
        return predict(noisy, timesteps, pose, reference, null);
    }

    /**
     * As {@link #predict(Tensor, int[], Tensor, Tensor)}, with the reference dropped (replaced by the learned
     * null reference) for the batch elements i where {@code dropped[i]}: classifier-free guidance training.
     */
    public Tensor predict(Tensor noisy, int[] timesteps, Tensor pose, Tensor reference, boolean[] dropped) {
        long[] s = Tensors.shape(noisy);
        int b = (int) s[0], t = (int) s[2], h = (int) s[3], w = (int) s[4];
        Tensor tokens = Patchify.patchify(pose == null ? noisy : Tensors.cat(1, noisy, pose));
        Tensor x = linear(tokens, embedW, embedB); // [B, N, D]
        int n = (int) x.size(1), nr = (h / 2) * (w / 2), d = sizes.hidden();
        Tensor nullTokens = nullRef.reshape(1, 1, -1).expand(b, nr, d);
        Tensor ref = nullTokens;
        if (reference != null) {
            Tensor patches = Patchify.patchify(reference); // [B, nr, 4 Cr]
            Tensor perToken = patches.matmul(embedRefW); // [B, nr, D], added to every frame's token at that place
            ref = linear(patches, refW, refB);
            if (dropped != null) {
                float[] m = new float[b];
                for (int i = 0; i < b; i++) m[i] = dropped[i] ? 1 : 0;
                Tensor mask = Tensors.floats(m, b, 1, 1), kept = mask.neg().add(scalar(1));
                ref = ref.mul(kept).add(nullTokens.mul(mask));
                perToken = perToken.mul(kept); // the dropped reference adds nothing
            }
            x = x.reshape(b, t, nr, d).add(perToken.unsqueeze(1)).reshape(b, n, d);
        }
        x = Tensors.cat(1, x, ref);
        Rope3d rope = new Rope3d(positions(t, h / 2, w / 2), sizes.hidden() / sizes.heads());
        Tensor c = timeEmbedding(timesteps);
        for (Block block : blocks) x = block.apply(x, c, rope);
        Tensor mod = linear(torch.silu(c), finalMod, finalModB).unsqueeze(1);
        Tensor y = modulate(x.narrow(1, 0, n), mod.narrow(2, 0, d), mod.narrow(2, d, d));
        return Patchify.unpatchify(linear(y, outW, outB), sizes.latent(), t, h, w);
    }

    /** (t, y, x) of the latent tokens (time-major), then of the reference tokens at t = -1: [(T + 1) * hp * wp, 3]. */
    static float[] positions(int t, int hp, int wp) {
        int n = t * hp * wp, nr = hp * wp;
        float[] pos = new float[(n + nr) * 3];
        int i = 0;
        for (int f = 0; f <= t; f++) {
            int time = f < t ? f : -1;
            for (int y = 0; y < hp; y++) {
                for (int x = 0; x < wp; x++) {
                    pos[i * 3] = time;
                    pos[i * 3 + 1] = y;
                    pos[i * 3 + 2] = x;
                    i++;
                }
            }
        }
        return pos;
    }

    /** Sinusoidal embedding of the timestep (DDPM's), then an MLP: [B, D]. */
    private Tensor timeEmbedding(int[] timesteps) {
        int d = sizes.hidden(), half = d / 2;
        float[] e = new float[timesteps.length * d];
        for (int i = 0; i < timesteps.length; i++) {
            for (int k = 0; k < half; k++) {
                double a = timesteps[i] * Math.pow(10_000, -k / (double) half);
                e[i * d + k] = (float) Math.cos(a);
                e[i * d + half + k] = (float) Math.sin(a);
            }
        }
        Tensor emb = Tensors.floats(e, timesteps.length, d);
        return linear(torch.silu(linear(emb, timeW1, timeB1)), timeW2, timeB2);
    }

    /**
     * softmax(q k^T / sqrt(d)) v for [B, H, N, d]. On a thread whose libtorch runs single-threaded (a training step's
     * shard, {@link dev.expportrait.tensor.BatchShards}) libtorch's fused kernel: 2.5x faster forward and backward
     * than the written-out products there (one thread, a batch of 4 windows' attention: 5.5 against 14.1 ms). With
     * several OpenMP threads that kernel calls OpenBLAS from each of them, whose own threads then contend: 30-100x
     * slower (BENCHMARKS.md), so there the products are written out.
     */
    static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v) {
        if (torch.get_num_threads() == 1) return torch.scaled_dot_product_attention(q, k, v);
        return writtenOutAttention(q, k, v);
    }

    /** softmax(q k^T / sqrt(d)) v as two batched products and a softmax. */
    static Tensor writtenOutAttention(Tensor q, Tensor k, Tensor v) {
        Tensor scores = q.mul(scalar(1 / Math.sqrt(q.size(-1)))).matmul(k.transpose(-2, -1)); // q scaled: a fifth of the scores' size here
        return torch.softmax(scores, -1, new org.bytedeco.pytorch.ScalarTypeOptional()).matmul(v);
    }

    /** x W + b for x [..., in], W [in, out], b [out], as one fused product on the rows: [..., out]. */
    static Tensor linear(Tensor x, Tensor w, Tensor b) {
        long[] s = Tensors.shape(x);
        long rows = x.numel() / s[s.length - 1];
        s[s.length - 1] = w.size(1);
        return torch.addmm(b, x.reshape(rows, w.size(0)), w).reshape(s);
    }

    /** adaLN: LN(x) (1 + scale) + shift for tokens x [B, N, D] and a shift and scale [B, 1, D] per batch element. */
    static Tensor modulate(Tensor x, Tensor shift, Tensor scale) {
        return torch.addcmul(shift, layerNorm(x), scale.add(scalar(1)));
    }

    static Tensor layerNorm(Tensor x) {
        return torch.layer_norm(x, new long[] {x.size(-1)}, new TensorOptional(), new TensorOptional(), 1e-6, false);
    }

    /** One DiT block with adaLN-Zero: the modulation starts at zero, so each block starts as the identity. */
    static final class Block {
        private final Tensor mod, modB, qkv, qkvB, proj, projB, fc1, fc1B, fc2, fc2B;
        private final int d, heads;

        Block(Parameters p, String name, int d, int heads) {
            this.d = d;
            this.heads = heads;
            mod = p.zeros(name + ".modulation.weight", d, 6 * d);
            modB = p.zeros(name + ".modulation.bias", 6 * d);
            qkv = p.weight(name + ".attention.qkv.weight", d, 3 * d, 1);
            qkvB = p.zeros(name + ".attention.qkv.bias", 3 * d);
            proj = p.weight(name + ".attention.proj.weight", d, d, 1);
            projB = p.zeros(name + ".attention.proj.bias", d);
            fc1 = p.weight(name + ".mlp.fc1.weight", d, 4 * d, 1);
            fc1B = p.zeros(name + ".mlp.fc1.bias", 4 * d);
            fc2 = p.weight(name + ".mlp.fc2.weight", 4 * d, d, 1);
            fc2B = p.zeros(name + ".mlp.fc2.bias", d);
        }

        Tensor apply(Tensor x, Tensor c, Rope3d rope) {
            Tensor m = linear(torch.silu(c), mod, modB).unsqueeze(1); // [B, 1, 6D]
            // shift + LN(x) (1 + scale) and x + gate f(x), each one fused pass over the tokens (addcmul)
            Tensor h = modulate(x, m.narrow(2, 0, d), m.narrow(2, d, d));
            x = torch.addcmul(x, m.narrow(2, 2 * d, d), attention(h, rope));
            h = modulate(x, m.narrow(2, 3 * d, d), m.narrow(2, 4 * d, d));
            Tensor mlp = linear(torch.gelu(linear(h, fc1, fc1B)), fc2, fc2B);
            return torch.addcmul(x, m.narrow(2, 5 * d, d), mlp);
        }

        private Tensor attention(Tensor x, Rope3d rope) {
            long b = x.size(0), n = x.size(1);
            int hd = d / heads;
            Tensor qkvT = linear(x, qkv, qkvB).reshape(b, n, 3, heads, hd).permute(2, 0, 3, 1, 4); // [3, B, H, N, hd]
            Tensor q = rope.apply(qkvT.select(0, 0)), k = rope.apply(qkvT.select(0, 1)), v = qkvT.select(0, 2);
            Tensor a = scaledDotProductAttention(q, k, v);
            return linear(a.permute(0, 2, 1, 3).reshape(b, n, d), proj, projB);
        }
    }
}
