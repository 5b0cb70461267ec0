package dev.expportrait.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expportrait.tensor.ParameterAdam;
import dev.expportrait.tensor.Tensors;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class VideoVaeTest {
    private static final VideoVae.Sizes SMALL = new VideoVae.Sizes(8, 4, 2);

    private static Tensor video(long seed, int frames, int size) {
        Random r = new Random(seed);
        float[] v = new float[3 * frames * size * size];
        for (int i = 0; i < v.length; i++) v[i] = (float) (2 * r.nextDouble() - 1);
        return Tensors.floats(v, 1, 3, frames, size, size);
    }

    @Test
    void shapesThroughEncoderAndDecoder_4xInTimeAfterTheFirstFrameAnd4xOr8xInSpace() {
        try (NoGradGuard g = new NoGradGuard()) {
            VideoVae vae = new VideoVae(SMALL, 1);
            VideoVae.Posterior q = vae.encode(video(1, 9, 16));
            assertThat(Tensors.shape(q.mean())).containsExactly(1, 4, 3, 4, 4);
            assertThat(Tensors.shape(q.logVariance())).containsExactly(1, 4, 3, 4, 4);
            assertThat(Tensors.shape(vae.decode(q.mean()))).containsExactly(1, 3, 9, 16, 16);
            VideoVae eight = new VideoVae(new VideoVae.Sizes(8, 2, 3), 1);
            Tensor z = eight.encode(video(2, 5, 16)).mean();
            assertThat(Tensors.shape(z)).containsExactly(1, 2, 2, 2, 2);
            assertThat(Tensors.shape(eight.decode(z))).containsExactly(1, 3, 5, 16, 16);
            assertThat(Tensors.shape(vae.decode(vae.encode(video(3, 1, 8)).mean()))).containsExactly(1, 3, 1, 8, 8);
        }
        assertThat(VideoVae.latentFrames(13)).isEqualTo(4);
        assertThatThrownBy(() -> VideoVae.latentFrames(8)).hasMessageContaining("1 + 4k");
    }

    @Test
    void changingALaterFrameNeverChangesEarlierLatents() {
        try (NoGradGuard g = new NoGradGuard()) {
            VideoVae vae = new VideoVae(SMALL, 2);
            Tensor v = video(4, 9, 8);
            float[] before = Tensors.toFloats(vae.encode(v).mean());
            for (int changed = 1; changed < 9; changed++) {
                Tensor w = v.clone();
                w.narrow(2, changed, 1).add_(Tensors.scalar(0.7));
                float[] after = Tensors.toFloats(vae.encode(w).mean());
                int per = before.length / 3 / 4; // [1, 4, 3, 2, 2]: per latent frame and channel
                for (int j = 0; j < 3; j++) {
                    double diff = 0;
                    for (int c = 0; c < 4; c++) {
                        for (int i = 0; i < per; i++) {
                            int k = (c * 3 + j) * per + i;
                            diff = Math.max(diff, Math.abs(after[k] - before[k]));
                        }
                    }
                    // Latent frame j sees video frames 0 .. 4j.
                    if (changed > 4 * j) assertThat(diff).as("frame %d -> latent %d", changed, j).isZero();
                    else assertThat(diff).as("frame %d -> latent %d", changed, j).isPositive();
                }
            }
        }
    }

    @Test
    void aFewTrainingStepsOnATinyBatchLowerTheLoss() {
        VideoVae vae = new VideoVae(SMALL, 3);
        // A smooth moving blob: something the VAE can learn fast.
        int t = 5, s = 16;
        float[] v = new float[3 * t * s * s];
        for (int c = 0; c < 3; c++) for (int f = 0; f < t; f++) for (int y = 0; y < s; y++) for (int x = 0; x < s; x++) {
            double d = Math.hypot(x - 5 - f, y - 8);
            v[((c * t + f) * s + y) * s + x] = (float) (Math.exp(-d * d / 8) * (c == 0 ? 1.6 : 0.8) - 0.8);
        }
        Tensor video = Tensors.floats(v, 1, 3, t, s, s);
        ParameterAdam adam = new ParameterAdam(vae.parameters());
        double first = 0, last = 0;
        Random r = new Random(5);
        for (int step = 0; step < 30; step++) {
            try (PointerScope scope = new PointerScope()) {
                float[] eps = new float[4 * 2 * 4 * 4];
                for (int i = 0; i < eps.length; i++) eps[i] = (float) r.nextGaussian();
                Tensor[] loss = vae.loss(video, Tensors.floats(eps, 1, 4, 2, 4, 4), 1e-4);
                loss[0].backward();
                if (step == 0) first = loss[1].item_double();
                last = loss[1].item_double();
                adam.step(3e-3, 1.0);
            }
        }
        assertThat(last).isLessThan(0.6 * first);
    }

    @Test
    void theKlIsZeroForTheStandardNormalAndPositiveOtherwise() {
        Tensor zero = Tensors.floats(new float[8], 1, 2, 1, 2, 2);
        assertThat(new VideoVae.Posterior(zero, zero).kl().item_double()).isZero();
        // KL(N(1, e^0) || N(0, 1)) = 0.5 per element.
        Tensor one = Tensors.floats(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, 1, 2, 1, 2, 2);
        assertThat(new VideoVae.Posterior(one, zero).kl().item_double()).isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-6));
    }
}
