package dev.expportrait.fit;

import dev.expportrait.io.InputException;
import dev.expportrait.io.Png;
import dev.expportrait.render.MapImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The per-frame images of a clip folder: {@code rgb/NNNNNN.png} (8-bit RGB) and, when dense,
 * {@code estimated/normal/} (normal-map RGB), {@code estimated/depth/} (16-bit metric depth) and
 * {@code mask/} (8-bit grey). Every folder must hold exactly frames 000000 .. T-1, all of one size.
 */
final class ClipFrames {
    private final Path dir;
    private final int frames;
    private final boolean dense;

    ClipFrames(Path dir, int frames, boolean dense) {
        this.dir = dir;
        this.frames = frames;
        this.dense = dense;
    }

    /** The decoded frames; the dense arrays are null unless dense. See {@link Observations} for the shapes. */
    record Maps(int width, int height, byte[][] rgb, float[] normals, float[] depth, float[] masks) {}

    Maps read() {
        Path rgbDir = checkFolder(dir.resolve("rgb"));
        Path normalDir = dense ? checkFolder(dir.resolve("estimated").resolve("normal")) : null;
        Path depthDir = dense ? checkFolder(dir.resolve("estimated").resolve("depth")) : null;
        Path maskDir = dense ? checkFolder(dir.resolve("mask")) : null;
        Path first = rgbDir.resolve(name(0));
        Png.Image reference = Png.read8(first, 3);
        int w = reference.width(), h = reference.height(), px = w * h;
        if ((long) frames * px * 3 > Integer.MAX_VALUE - 8) {
            throw new InputException(dir + ": " + frames + " frames of " + w + "x" + h + " px are too many to hold at once; split the clip");
        }
        byte[][] rgb = new byte[frames][];
        float[] normals = dense ? new float[frames * px * 3] : null;
        float[] depth = dense ? new float[frames * px] : null;
        float[] masks = dense ? new float[frames * px] : null;
        // Frames decode independently; keep each frame's error so that the first offending file is reported.
        InputException[] errors = new InputException[frames];
        IntStream.range(0, frames).parallel().forEach(t -> {
            try {
                rgb[t] = sized(Png.read8(rgbDir.resolve(name(t)), 3), rgbDir.resolve(name(t)), first, w, h).bytes();
                if (dense) {
                    Path maskFile = maskDir.resolve(name(t));
                    byte[] mask = sized(Png.read8(maskFile, 1), maskFile, first, w, h).bytes();
                    Path normalFile = normalDir.resolve(name(t));
                    byte[] n = sized(Png.read8(normalFile, 3), normalFile, first, w, h).bytes();
                    Path depthFile = depthDir.resolve(name(t));
                    float[] d = MapImages.decodeDepth(depthFile, sized(Png.read(depthFile), depthFile, first, w, h));
                    for (int p = 0; p < px; p++) {
                        int k = t * px + p;
                        masks[k] = (mask[p] & 0xff) / 255f;
                        depth[k] = Float.isFinite(d[p]) && d[p] > 0 ? d[p] : 0f;
                        if (masks[k] >= 0.5f) decodeNormal(n, p, normals, k);
                    }
                }
            } catch (InputException e) {
                errors[t] = e;
            }
        });
        for (InputException e : errors) {
            if (e != null) throw e;
        }
        return new Maps(w, h, rgb, normals, depth, masks);
    }

    /**
     * The inverse of {@link MapImages#normals}: RGB = round(255 (n + 1) / 2), so n = 2 RGB / 255 - 1,
     * renormalized to undo the 8-bit rounding.
     */
    private static void decodeNormal(byte[] rgb, int p, float[] out, int k) {
        double x = (rgb[p * 3] & 0xff) / 127.5 - 1, y = (rgb[p * 3 + 1] & 0xff) / 127.5 - 1, z = (rgb[p * 3 + 2] & 0xff) / 127.5 - 1;
        double len = Math.sqrt(x * x + y * y + z * z);
        if (len < 1e-6) return;
        out[k * 3] = (float) (x / len);
        out[k * 3 + 1] = (float) (y / len);
        out[k * 3 + 2] = (float) (z / len);
    }

    private static Png.Image sized(Png.Image img, Path file, Path first, int w, int h) {
        if (img.width() != w || img.height() != h) {
            throw new InputException(file + ": " + img.width() + "x" + img.height() + " px, but " + first + " is " + w + "x" + h + " px");
        }
        return img;
    }

    /** Checks that {@code folder} holds exactly the frame files 000000.png .. of the clip. */
    private Path checkFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new InputException(folder + ": missing frame folder");
        }
        Set<String> present = new HashSet<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".png")).forEach(present::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        for (int t = 0; t < frames; t++) {
            if (!present.remove(name(t))) {
                throw new InputException(folder.resolve(name(t)) + ": missing frame (" + ClipObservations.CLIP_FILE + " has " + frames + " frames)");
            }
        }
        if (!present.isEmpty()) {
            String extra = present.stream().sorted().findFirst().orElseThrow();
            throw new InputException(folder.resolve(extra) + ": extra frame (" + ClipObservations.CLIP_FILE + " has " + frames + " frames)");
        }
        return folder;
    }

    private static String name(int t) {
        return String.format(Locale.ROOT, "%06d.png", t);
    }
}
