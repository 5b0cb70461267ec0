package dev.expportrait.gen;

import static dev.expportrait.tensor.Tensors.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expportrait.tensor.Tensors;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class LatentCacheTest {
    private static final int FRAMES = 5;

    private static VideoClips.Draw draw(int[] clip, int[] start, int[] reference) {
        return new VideoClips.Draw(clip, start, reference);
    }

    /** Element i of a [B, ...] tensor as floats. */
    private static float[] element(Tensor t, int i) {
        return Tensors.toFloats(t.select(0, i));
    }

    /** The window's latent encoded on its own, the independent reference. */
    private static float[] alone(VideoVae vae, VideoClips clips, int clip, int start, int frames) {
        try (NoGradGuard g = new NoGradGuard()) {
            VideoClips.Batch b = clips.windows(new int[] {clip}, new int[] {start}, new int[] {start}, frames);
            return Tensors.toFloats(vae.encode(frames == 1 ? b.reference() : b.video()).mean());
        }
    }

    private static void assertClose(float[] got, float[] expected) {
        assertThat(got).hasSameSizeAs(expected);
        double scale = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        assertThat(scale).isGreaterThan(1e-3); // a latent, not zeros
        for (int i = 0; i < got.length; i++) assertThat((double) got[i]).isCloseTo(expected[i], within(1e-5 * scale));
    }

    @Test
    void aLatentIsItsWindowsOwnEncoding_whateverElseWasDrawnAndInWhatOrder() {
        VideoClips clips = GenTrainerTest.clips(2, 14); // starts 0..9: groups {0..3}, {4..7}, {8, 9}
        VideoVae vae = new VideoVae(GenTrainerTest.TINY.vae(), 3);
        LatentCache a = new LatentCache(vae, FRAMES, LatentCache.DEFAULT_BYTES), b = new LatentCache(vae, FRAMES, LatentCache.DEFAULT_BYTES);
        Tensor fromA = a.windows(clips, draw(new int[] {1, 0, 1}, new int[] {6, 2, 9}, new int[] {0, 0, 0}));
        b.windows(clips, draw(new int[] {1}, new int[] {9}, new int[] {0}));
        Tensor fromB = b.windows(clips, draw(new int[] {0, 1, 1}, new int[] {2, 5, 6}, new int[] {0, 0, 0}));
        assertThat(Tensors.shape(fromA)).containsExactly(3, 2, 2, 4, 4);
        assertThat(element(fromB, 0)).containsExactly(element(fromA, 1)); // bit for bit: (clip 0, start 2)
        assertThat(element(fromB, 2)).containsExactly(element(fromA, 0)); // (clip 1, start 6)
        assertClose(element(fromA, 0), alone(vae, clips, 1, 6, FRAMES));
        assertClose(element(fromA, 1), alone(vae, clips, 0, 2, FRAMES));
        assertClose(element(fromA, 2), alone(vae, clips, 1, 9, FRAMES)); // the clip's last window, in a group of two
        assertThat(a.encodedGroups()).isEqualTo(3); // {1: 4..7}, {0: 0..3}, {1: 8, 9}
        // Asked again, nothing is encoded again.
        a.windows(clips, draw(new int[] {1, 1}, new int[] {4, 7}, new int[] {0, 0}));
        assertThat(a.encodedGroups()).isEqualTo(3);

        Tensor refs = a.references(clips, draw(new int[] {0, 1}, new int[] {3, 9}, new int[] {13, 5}));
        assertThat(Tensors.shape(refs)).containsExactly(2, 2, 1, 4, 4);
        assertClose(element(refs, 0), alone(vae, clips, 0, 13, 1)); // the clip's last frame
        assertClose(element(refs, 1), alone(vae, clips, 1, 5, 1));
    }

    @Test
    void pastItsCapACacheKeepsNothing_andGivesTheSameValues() {
        VideoClips clips = GenTrainerTest.clips(2, 10);
        VideoVae vae = new VideoVae(GenTrainerTest.TINY.vae(), 4);
        LatentCache kept = new LatentCache(vae, FRAMES, LatentCache.DEFAULT_BYTES), none = new LatentCache(vae, FRAMES, 0);
        VideoClips.Draw d = draw(new int[] {0, 1}, new int[] {1, 5}, new int[] {2, 9});
        for (int k = 0; k < 2; k++) {
            assertThat(Tensors.toFloats(none.windows(clips, d))).containsExactly(Tensors.toFloats(kept.windows(clips, d)));
            assertThat(Tensors.toFloats(none.references(clips, d))).containsExactly(Tensors.toFloats(kept.references(clips, d)));
        }
        assertThat(none.bytes()).isZero();
        assertThat(none.encodedGroups()).isEqualTo(8); // 4 groups, twice
        assertThat(none.notKeptGroups()).isEqualTo(8);
        assertThat(kept.encodedGroups()).isEqualTo(4);
        assertThat(kept.notKeptGroups()).isZero();
        assertThat(kept.bytes()).isEqualTo((4 + 2) * 2 * 2 * 4 * 4 * 4L + (4 + 2) * 2 * 4 * 4 * 4L); // windows {0..3}, {4, 5}; frames {0..3}, {8, 9}

        kept.fill(clips);
        long groups = kept.encodedGroups();
        assertThat(groups).isEqualTo(2 * (2 + 3)); // per clip: starts {0..3}, {4, 5}; frames {0..3}, {4..7}, {8, 9}
        kept.fill(clips);
        assertThat(kept.encodedGroups()).isEqualTo(groups);
    }

    @Test
    void theTrainersLossFromCachedLatentsIsTheLossFromEncodingTheBatch() {
        VideoClips clips = GenTrainerTest.clips(2, 9);
        Generator g = new Generator(GenTrainerTest.TINY, 6);
        g.latentScale(1.7);
        try (NoGradGuard ng = new NoGradGuard()) { // an untrained denoiser predicts zero noise whatever its input
            for (Tensor w : g.denoiserParameters().values()) w.add_(org.bytedeco.pytorch.global.torch.randn_like(w).mul(scalar(0.2)));
        }
        GenTrainer trainer = new GenTrainer(GenTrainConfig.denoiserDefaults().withBatch(2, FRAMES), GenTrainer.Stage.DENOISER);
        VideoClips.Draw d = clips.draw(2, FRAMES, 3, 0);
        VideoClips.Batch b = clips.windows(d.clip(), d.start(), d.reference(), FRAMES);
        // As the trainer draws a batch whose latents are cached: no pixels, the same control and reference.
        VideoClips.Batch noPixels = clips.windows(d.clip(), d.start(), d.reference(), FRAMES, false);
        assertThat(noPixels.video()).isNull();
        assertThat(Tensors.toFloats(noPixels.control())).containsExactly(Tensors.toFloats(b.control()));
        assertThat(Tensors.toFloats(noPixels.reference())).containsExactly(Tensors.toFloats(b.reference()));
        LatentCache cache = new LatentCache(g.vae(), FRAMES, LatentCache.DEFAULT_BYTES);
        double encoded, cached;
        try (NoGradGuard ng = new NoGradGuard()) {
            encoded = trainer.loss(g, b, null, null, new SplittableRandom(11)).item_double();
            cached = trainer.loss(g, noPixels, cache.windows(clips, d).mul(scalar(g.latentScale())), cache.references(clips, d).mul(scalar(g.latentScale())),
                    new SplittableRandom(11)).item_double();
        }
        assertThat(cached).isCloseTo(encoded, within(1e-5 * encoded));
        assertThat(encoded).isGreaterThan(0.05); // a real loss (noise against a non-zero prediction), not a degenerate 0

        // A cache for another window length is refused, not read as if it fitted.
        LatentCache nine = new LatentCache(g.vae(), 9, LatentCache.DEFAULT_BYTES);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> trainer.withLatentCache(nine).train(g, clips, null, java.util.Map.of(),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another VAE or window length");
    }
}
