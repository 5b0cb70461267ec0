package dev.expportrait.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Generation follows the control video, not the reference: a tiny generator trained on discs that move along
 * random paths (the disc's normal map as control) puts the generated disc where the control's is, on either
 * side of a reference whose disc is in the middle.
 */
class GenControlTest {
    private static final int SIZE = 16;
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    /** A disc of radius 3 at (cx, cy): shaded (bright on identity id's background) or its normal map (on black). */
    private static byte[] disc(double cx, double cy, boolean normal, int id) {
        byte[] f = new byte[SIZE * SIZE * 3];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) < 9;
                for (int c = 0; c < 3; c++) f[(y * SIZE + x) * 3 + c] = (byte) (normal ? (in ? 128 + 20 * c : 0) : (in ? 220 - 30 * c : 40 + 25 * id + 10 * c));
            }
        }
        return f;
    }

    private static VideoClips movingDiscs() {
        List<VideoClips.Clip> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(5);
        for (int id = 0; id < 4; id++) {
            for (int k = 0; k < 3; k++) {
                int frames = 9;
                byte[][] rgb = new byte[frames][], normals = new byte[frames][];
                double x0 = 3 + r.nextDouble() * 10, y0 = 3 + r.nextDouble() * 10, vx = (r.nextDouble() - 0.5) * 1.5, vy = (r.nextDouble() - 0.5) * 1.5;
                for (int t = 0; t < frames; t++) {
                    double cx = Math.max(3, Math.min(12, x0 + vx * t)), cy = Math.max(3, Math.min(12, y0 + vy * t));
                    rgb[t] = disc(cx, cy, false, id);
                    normals[t] = disc(cx, cy, true, id);
                }
                out.add(new VideoClips.Clip("id" + id + "/clip0" + k, "id" + id, SIZE, SIZE, rgb, normals));
            }
        }
        return new VideoClips(out);
    }

    /** The x centroid of the bright (disc) pixels of a frame, by red above the backgrounds' at most 115. */
    private static double discX(byte[] frame) {
        double sx = 0, sw = 0;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double w = Math.max(0, (frame[(y * SIZE + x) * 3] & 0xff) - 140);
                sx += w * x;
                sw += w;
            }
        }
        assertThat(sw).as("a disc is generated").isGreaterThan(300);
        return sx / sw;
    }

    @Test
    void theGeneratedDiscIsWhereTheControlsIsNotWhereTheReferencesIs() {
        VideoClips clips = movingDiscs();
        Generator g = new Generator(GenTrainerTest.TINY, 3);
        new GenTrainer(GenTrainConfig.vaeDefaults().withBatch(4, 1).withSteps(150).withLearningRate(3e-3, 5).withValidation(0).withEvery(50, 1000, 0),
                GenTrainer.Stage.VAE).train(g, clips, null, Map.of(), QUIET, null);
        new GenTrainer(GenTrainConfig.denoiserDefaults().withBatch(4, 5).withSteps(600).withLearningRate(3e-3, 10).withValidation(0).withEvery(50, 1000, 0),
                GenTrainer.Stage.DENOISER).train(g, clips, null, Map.of(), QUIET, null);
        Sampler sampler = new Sampler(NoiseSchedule.ddpm(), 10, 1.0);
        Tensor reference = VideoClips.video(List.of(disc(8, 8, false, 1)), SIZE, SIZE); // the disc in the middle
        double[] meanX = new double[2];
        double[] controlX = {4, 12};
        for (int k = 0; k < 2; k++) {
            List<byte[]> control = new ArrayList<>();
            for (int t = 0; t < 5; t++) control.add(disc(controlX[k], 8, true, 0));
            List<byte[]> frames = GenOutputs.frames(sampler.sample(g, VideoClips.video(control, SIZE, SIZE), reference, 1), 0);
            for (byte[] f : frames) meanX[k] += discX(f) / frames.size();
        }
        // The reference alone would put it at x = 8 both times; a sampler ignoring the control, at the same x twice.
        assertThat(meanX[0]).isLessThan(6.5);
        assertThat(meanX[1]).isGreaterThan(9.5);
    }
}
