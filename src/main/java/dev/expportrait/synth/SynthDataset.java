package dev.expportrait.synth;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.io.AtomicFiles;
import dev.expportrait.io.InputException;
import dev.expportrait.io.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Writes a synthetic dataset: {@code idNNN/clipMM/} folders ({@link ClipWriter}; each clip is written while
 * the next one renders) and, last, a
 * {@code manifest.json} with its format and version, the arguments, every identity's attributes, every
 * clip, and the degradation amounts of the estimated observations. A folder without a manifest is an
 * unfinished write.
 *
 * @param identities number of identities (seeds {@code seed * 1000 + i})
 * @param clipsPerIdentity clips per identity (motion seeds {@code identitySeed * 100 + c})
 */
public record SynthDataset(int identities, int clipsPerIdentity, int frames, int size, double fps, int level, long seed) {
    public static final String FORMAT = "expportrait.synth-dataset";
    public static final String VERSION = "1";

    public SynthDataset {
        check(identities >= 1 && identities <= 100_000, "--identities " + identities + ": must be at least 1");
        check(clipsPerIdentity >= 1 && clipsPerIdentity <= 100, "--clips-per-identity " + clipsPerIdentity + ": must be 1-100");
        check(frames >= 1 && frames <= 10_000, "--frames " + frames + ": must be 1-10000");
        check(size >= 64 && size <= 512 && size % 2 == 0, "--size " + size + ": must be an even number of pixels from 64 to 512");
        check(fps > 0 && fps <= 120 && Double.isFinite(fps), "--fps " + fps + ": must be in (0, 120]");
        check(level >= 0 && level <= 2, "--level " + level + ": must be 0, 1 or 2");
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new InputException(message);
    }

    /** Writes the dataset under {@code out}, printing one progress line per clip to {@code log}. */
    public void write(HeadModel model, Path out, String command, PrintStream log) {
        long start = System.nanoTime();
        DenseHead head = new DenseHead(model, HeadSubset.select(model), level, ScalarType.Float);
        ClipWriter writer = new ClipWriter(head, Degradation.DEFAULT);
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("model", model.name());
        provenance.put("level", Integer.toString(level));
        provenance.put("seed", Long.toString(seed));
        provenance.put("command", command);
        List<Object> people = new ArrayList<>();
        List<Object> clips = new ArrayList<>();
        int total = identities * clipsPerIdentity;
        int[] done = {0};
        // Clip k is written (pure Java: PNG, MP4, tensors) while clip k + 1 renders (mostly libtorch), so the
        // cores the renderer leaves idle encode; one clip at most waits to be written, which bounds the memory.
        ExecutorService saver = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "synth-save");
            thread.setDaemon(true);
            return thread;
        });
        Future<?> pending = null;
        try {
            for (int i = 0; i < identities; i++) {
                long identitySeed = seed * 1000 + i;
                Identity id = Identities.sample(identitySeed, model);
                Map<String, Object> person = new LinkedHashMap<>();
                person.put("id", String.format(Locale.ROOT, "id%03d", i));
                person.put("seed", identitySeed);
                person.put("age", String.format(Locale.ROOT, "%.2f", id.age()));
                person.put("hair_style", id.hairStyle().name());
                Appearance look = Appearance.of(id);
                person.put("eye_colour", look.iris().name());
                person.put("clothing_pattern", look.pattern().name());
                person.put("background", look.background().kind().name());
                people.add(person);
                for (int c = 0; c < clipsPerIdentity; c++) {
                    long t0 = System.nanoTime();
                    Path dir = out.resolve(String.format(Locale.ROOT, "id%03d", i)).resolve(String.format(Locale.ROOT, "clip%02d", c));
                    ClipWriter.Rendered rendered = writer.render(dir, out, id, identitySeed * 100 + c, frames, fps, size, provenance);
                    await(pending);
                    pending = saver.submit(() -> {
                        ClipWriter.Clip clip = writer.save(rendered);
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("path", clip.path());
                        entry.put("identity", person.get("id"));
                        entry.put("motion_seed", clip.motionSeed());
                        entry.put("frames", clip.frames());
                        clips.add(entry);
                        done[0]++;
                        log.printf(Locale.ROOT, "  [%d/%d] %s: %d frames at %d px, %.1f s (age %.0f, hair %s)%n", done[0], total,
                                clip.path(), frames, size, (System.nanoTime() - t0) / 1e9, id.age(), id.hairStyle());
                    });
                }
            }
            await(pending);
        } finally {
            saver.shutdownNow();
        }
        Degradation d = Degradation.DEFAULT;
        Map<String, Object> degradation = new LinkedHashMap<>();
        degradation.put("landmark_jitter_px_at_256", Double.toString(d.landmarkJitterPx()));
        degradation.put("jaw_offset_px_at_256", Double.toString(d.jawOffsetPx()));
        degradation.put("normal_blur_px", Double.toString(d.normalBlurPx()));
        degradation.put("normal_noise_deg", Double.toString(d.normalNoiseDeg()));
        degradation.put("silhouette_error_deg", Double.toString(d.silhouetteErrorDeg()));
        degradation.put("silhouette_band_px", d.silhouetteBandPx());
        degradation.put("depth_relative_noise", Double.toString(d.depthRelativeNoise()));
        degradation.put("depth_scale_range", Double.toString(d.depthScaleRange()));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("version", VERSION);
        manifest.put("model", model.name());
        manifest.put("level", level);
        manifest.put("seed", seed);
        manifest.put("frames", frames);
        manifest.put("size", size);
        manifest.put("fps", Double.toString(fps));
        manifest.put("command", command);
        manifest.put("degradation", degradation);
        manifest.put("identities", people);
        manifest.put("clips", clips);
        AtomicFiles.write(out.resolve("manifest.json"), Json.write(manifest).getBytes(StandardCharsets.UTF_8));
        log.printf(Locale.ROOT, "wrote %d clips of %d identities to %s in %.1f s%n", total, identities, out, (System.nanoTime() - start) / 1e9);
    }

    /** Waits for a clip's write; its failure becomes this thread's. */
    private static void await(Future<?> pending) {
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a clip", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }
}
