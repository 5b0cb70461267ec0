package dev.expportrait.gen;

import dev.expportrait.io.InputException;
import dev.expportrait.io.Png;
import dev.expportrait.tensor.Tensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;

/**
 * The generator's training data: clips of the synthetic world, each its shaded frames ({@code rgb/}) and the
 * ground-truth normal maps that condition the generator ({@code normal/}), held in memory as 8-bit RGB. Clips
 * come from dataset or clip folders (every folder under them with {@code rgb/} and {@code normal/}); a clip's
 * identity is its parent folder's name ({@code idNNN}), and {@link #split} holds identities out whole.
 * {@link #batch} draws windows from a generator seeded by the seed and the step alone, so a resumed run sees
 * what an uninterrupted one would.
 */
public final class VideoClips {
    /** One clip: T frames of H x W, interleaved RGB bytes per frame. */
    public record Clip(String name, String identity, int width, int height, byte[][] rgb, byte[][] normals) {
        public int frames() {
            return rgb.length;
        }
    }

    /**
     * A batch, every tensor in [-1, 1]: the target video and its control (normal maps) [B, 3, T, H, W] and
     * the reference image [B, 3, 1, H, W]. The video is null in a batch drawn without pixels (its latents known).
     */
    public record Batch(Tensor video, Tensor control, Tensor reference) {}

    private final List<Clip> clips;

    public VideoClips(List<Clip> clips) {
        if (clips.isEmpty()) throw new IllegalArgumentException("no clips");
        Clip first = clips.get(0);
        for (Clip c : clips) {
            if (c.width() != first.width() || c.height() != first.height()) {
                throw new InputException(c.name() + ": " + c.width() + "x" + c.height() + " px, but " + first.name() + " is "
                        + first.width() + "x" + first.height() + " (every clip must have one size)");
            }
        }
        this.clips = List.copyOf(clips);
    }

    public List<Clip> clips() {
        return clips;
    }

    public int width() {
        return clips.get(0).width();
    }

    public int height() {
        return clips.get(0).height();
    }

    /** Every clip under {@code paths}, sorted by path. */
    public static VideoClips load(List<Path> paths) {
        List<Clip> out = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) throw new InputException(p + ": no such folder");
            List<Path> dirs;
            try (Stream<Path> s = Files.walk(p)) {
                dirs = s.filter(d -> Files.isDirectory(d.resolve("rgb")) && Files.isDirectory(d.resolve("normal"))).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(p + ": cannot list: " + e.getMessage(), e);
            }
            if (dirs.isEmpty()) throw new InputException(p + ": holds no clips (folders with rgb/ and normal/, as expportrait synth writes)");
            for (Path d : dirs) out.add(read(d));
        }
        return new VideoClips(out);
    }

    /** One clip folder: {@code rgb/NNNNNN.png} and {@code normal/NNNNNN.png}, the same frames and sizes. */
    public static Clip read(Path dir) {
        Path rgbDir = dir.resolve("rgb"), normalDir = dir.resolve("normal");
        int frames;
        try (Stream<Path> s = Files.list(rgbDir)) {
            frames = (int) s.filter(f -> f.getFileName().toString().endsWith(".png")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(rgbDir + ": cannot list: " + e.getMessage(), e);
        }
        if (frames == 0) throw new InputException(rgbDir + ": no frames");
        byte[][] rgb = new byte[frames][], normals = new byte[frames][];
        int[] size = new int[2];
        InputException[] errors = new InputException[frames];
        IntStream.range(0, frames).parallel().forEach(t -> {
            try {
                String name = String.format(Locale.ROOT, "%06d.png", t);
                Png.Image a = image(rgbDir.resolve(name)), b = image(normalDir.resolve(name));
                if (b.width() != a.width() || b.height() != a.height()) {
                    throw new InputException(normalDir.resolve(name) + ": " + b.width() + "x" + b.height() + " px, the frame is " + a.width() + "x" + a.height());
                }
                rgb[t] = a.bytes();
                normals[t] = b.bytes();
                if (t == 0) {
                    size[0] = a.width();
                    size[1] = a.height();
                }
            } catch (InputException e) {
                errors[t] = e;
            }
        });
        for (InputException e : errors) {
            if (e != null) throw e;
        }
        for (int t = 0; t < frames; t++) {
            if (rgb[t].length != size[0] * size[1] * 3) {
                throw new InputException(rgbDir.resolve(String.format(Locale.ROOT, "%06d.png", t)) + ": not " + size[0] + "x" + size[1] + " px like frame 0");
            }
        }
        Path parent = dir.getParent();
        String identity = parent == null ? dir.getFileName().toString() : parent.getFileName().toString();
        return new Clip(parent == null ? dir.toString() : parent.getFileName() + "/" + dir.getFileName(), identity, size[0], size[1], rgb, normals);
    }

    private static Png.Image image(Path file) {
        if (!Files.isRegularFile(file)) throw new InputException(file + ": missing frame");
        return Png.read8(file, 3);
    }

    /** [training, validation] by identity ({@link dev.expportrait.tensor.GroupSplit}); validation null when nothing is held out. */
    public List<VideoClips> split(double fraction, long seed) {
        List<List<Clip>> parts = dev.expportrait.tensor.GroupSplit.of(clips, Clip::identity, fraction, seed);
        return java.util.Arrays.asList(new VideoClips(parts.get(0)), parts.get(1).isEmpty() ? null : new VideoClips(parts.get(1))); // null: nothing held out
    }

    /** Checks that every clip has at least {@code frames} frames (a window). */
    public void requireFrames(int frames) {
        for (Clip c : clips) {
            if (c.frames() < frames) {
                throw new InputException(c.name() + ": " + c.frames() + " frames, too few for windows of " + frames + " (--frames)");
            }
        }
    }

    /** Which windows a batch holds: for element i, clip[i] (an index into {@link #clips}), its first frame start[i], its reference frame reference[i]. */
    public record Draw(int[] clip, int[] start, int[] reference) {}

    /**
     * {@code size} windows of {@code frames} consecutive frames, each from a clip drawn at random, with a
     * reference frame drawn from anywhere in the same clip; all drawn from {@code seed} and {@code step}.
     */
    public Batch batch(int size, int frames, long seed, long step) {
        Draw d = draw(size, frames, seed, step);
        return windows(d.clip(), d.start(), d.reference(), frames);
    }

    /** The windows {@link #batch} assembles, without assembling them. */
    public Draw draw(int size, int frames, long seed, long step) {
        requireFrames(frames);
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        int[] clip = new int[size], start = new int[size], reference = new int[size];
        for (int i = 0; i < size; i++) {
            clip[i] = r.nextInt(clips.size());
            Clip c = clips.get(clip[i]);
            start[i] = r.nextInt(c.frames() - frames + 1);
            reference[i] = r.nextInt(c.frames());
        }
        return new Draw(clip, start, reference);
    }

    /** The windows clip[i] frames start[i] .. + frames - 1, with frame reference[i] of the same clip as reference. */
    public Batch windows(int[] clip, int[] start, int[] reference, int frames) {
        return windows(clip, start, reference, frames, true);
    }

    /**
     * As {@link #windows(int[], int[], int[], int)}; without {@code pixels} the batch has no video (null), for a
     * denoiser step whose latents come from a {@link LatentCache}: converting frames nobody reads was 2-3% of
     * such a step.
     */
    public Batch windows(int[] clip, int[] start, int[] reference, int frames, boolean pixels) {
        int b = clip.length, w = width(), h = height(), px = w * h;
        float[] video = pixels ? new float[b * 3 * frames * px] : null, control = new float[b * 3 * frames * px], ref = new float[b * 3 * px];
        for (int i = 0; i < b; i++) {
            Clip c = clips.get(clip[i]);
            for (int f = 0; f < frames; f++) {
                if (pixels) planar(c.rgb()[start[i] + f], video, i, f, frames, px);
                planar(c.normals()[start[i] + f], control, i, f, frames, px);
            }
            planar(c.rgb()[reference[i]], ref, i, 0, 1, px);
        }
        return new Batch(pixels ? Tensors.floats(video, b, 3, frames, h, w) : null, Tensors.floats(control, b, 3, frames, h, w), Tensors.floats(ref, b, 3, 1, h, w));
    }

    /** Latent frames of an n-frame window; an InputException when n is not 1 + 4k. */
    static int latentFramesOf(int n) {
        try {
            return VideoVae.latentFrames(n);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    /** Frames of interleaved RGB bytes (W x H each) as a video [1, 3, T, H, W] in [-1, 1]. */
    public static Tensor video(List<byte[]> frames, int width, int height) {
        int px = width * height, t = frames.size();
        float[] v = new float[3 * t * px];
        for (int f = 0; f < t; f++) planar(frames.get(f), v, 0, f, t, px);
        return Tensors.floats(v, 1, 3, t, height, width);
    }

    /** Interleaved RGB bytes into element i, frame f of a [B, 3, T, H, W] array, mapped to [-1, 1]. */
    private static void planar(byte[] rgb, float[] out, int i, int f, int frames, int px) {
        for (int ch = 0; ch < 3; ch++) {
            int base = ((i * 3 + ch) * frames + f) * px;
            for (int p = 0; p < px; p++) out[base + p] = (rgb[p * 3 + ch] & 0xff) / 127.5f - 1f;
        }
    }
}
