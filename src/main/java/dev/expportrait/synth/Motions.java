package dev.expportrait.synth;

import dev.expportrait.head.HeadModel;
import dev.expportrait.head.Joints;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Samples expressive driving motions: talking-like jaw motion with pauses, blinks, episodes of smiles,
 * frowns, surprise, puckers, puffed cheeks and mixtures, slow head motion on the neck and head joints,
 * a small translation jitter, and a small camera shake. Every channel is a sum of smoothly eased keyframes,
 * so motions are smooth at any frame rate; ARKit-style coefficients stay in [0, 1]. Directions are looked up by name; a model
 * without some of them just gets no motion there.
 */
public final class Motions {
    private Motions() {}

    /** Frame rate of {@link #neutral}. */
    public static final double NEUTRAL_FPS = 25;
    /** Largest jaw opening (rad about x). */
    static final double MAX_JAW = 0.3;
    /**
     * Range of a clip's camera shake amplitude, radians: with the 20 degree portrait framing (fx = 2.84 x the
     * image size) that is 0.5 to 1.5 px at 256 px, and proportionally more at larger sizes.
     */
    static final double MIN_SHAKE = 0.7e-3, MAX_SHAKE = 2.0e-3;

    /** Episode kinds and the expression directions (with weights) each drives. */
    private enum Episode {
        SMILE(Map.of("mouthSmileLeft", 1.0, "mouthSmileRight", 1.0, "cheekSquintLeft", 0.5, "cheekSquintRight", 0.5)),
        FROWN(Map.of("mouthFrownLeft", 0.9, "mouthFrownRight", 0.9, "browDownLeft", 0.7, "browDownRight", 0.7,
                "mouthPressLeft", 0.4, "mouthPressRight", 0.4)),
        SURPRISE(Map.of("browInnerUp", 1.0, "browOuterUpLeft", 0.9, "browOuterUpRight", 0.9,
                "eyeWideLeft", 0.8, "eyeWideRight", 0.8)),
        PUCKER(Map.of("mouthPucker", 1.0, "mouthFunnel", 0.4)),
        PUFF(Map.of("cheekPuff", 1.0)),
        MIXTURE(Map.of());

        final Map<String, Double> weights;

        Episode(Map<String, Double> weights) {
            this.weights = weights;
        }
    }

    /** The neutral reference: one frame, all expression coefficients, joint rotations and translation 0. */
    public static Motion neutral(HeadModel model) {
        return new Motion(NEUTRAL_FPS, new float[model.numExpression()], new float[model.numJoints() * 3], new float[3], new float[2]);
    }

    /** Samples {@code frames} frames at {@code fps}; the same seed gives the same motion. */
    public static Motion sample(long seed, HeadModel model, int frames, double fps) {
        if (model.numJoints() <= Joints.JAW) {
            throw new IllegalArgumentException("model " + model.name() + " has no SMPL-X jaw joint");
        }
        SplittableRandom r = new SplittableRandom(seed);
        double duration = frames / fps;
        List<String> names = model.expressionNames();
        int e = names.size(), j = model.numJoints();
        float[] expression = new float[frames * e];
        float[] pose = new float[frames * j * 3];
        float[] translation = new float[frames * 3];

        Keyframes jaw = talking(r, duration);
        Keyframes blink = blinks(r, duration);
        Keyframes[] channels = new Keyframes[e];
        Keyframes surpriseJaw = new Keyframes();
        episodes(r, duration, names, channels, surpriseJaw);
        Keyframes[] head = slow(r, duration, 3, 1.0, 2.5, new double[] {Math.toRadians(12), Math.toRadians(18), Math.toRadians(6)});
        Keyframes[] shift = slow(r, duration, 3, 0.8, 2.0, new double[] {0.003, 0.003, 0.003});
        // Drawn last, so the other channels are those of a motion sampled before camera shake existed.
        double shake = r.nextDouble(MIN_SHAKE, MAX_SHAKE);
        Keyframes[] camera = slow(r, duration, 2, 0.3, 0.8, new double[] {shake, shake});
        float[] cameraJitter = new float[frames * 2];
        int blinkLeft = names.indexOf("eyeBlinkLeft"), blinkRight = names.indexOf("eyeBlinkRight");

        for (int t = 0; t < frames; t++) {
            double time = t / fps;
            for (int k = 0; k < e; k++) {
                double v = channels[k] == null ? 0 : channels[k].value(time);
                if (k == blinkLeft || k == blinkRight) {
                    v = Math.max(v, blink.value(time));
                }
                expression[t * e + k] = (float) Smooth.clamp(v, 0, 1);
            }
            pose[(t * j + Joints.JAW) * 3] = (float) Smooth.clamp(jaw.value(time) + surpriseJaw.value(time), 0, MAX_JAW);
            for (int axis = 0; axis < 3; axis++) {
                double angle = head[axis].value(time);
                // The neck carries 40% of the head rotation, the head joint the rest.
                pose[(t * j + Joints.NECK) * 3 + axis] = (float) (0.4 * angle);
                pose[(t * j + Joints.HEAD) * 3 + axis] = (float) (0.6 * angle);
                translation[t * 3 + axis] = (float) shift[axis].value(time);
            }
            for (int axis = 0; axis < 2; axis++) cameraJitter[t * 2 + axis] = (float) camera[axis].value(time);
        }
        return new Motion(fps, expression, pose, translation, cameraJitter);
    }

    /** Speech: runs of syllables (3-6 Hz, jaw opening 0.06-0.25 rad) separated by closed-mouth pauses. */
    private static Keyframes talking(SplittableRandom r, double duration) {
        Keyframes jaw = new Keyframes().add(0, 0);
        double t = r.nextDouble(0.2, 1.0);
        while (t < duration) {
            jaw.add(t, 0);
            double end = t + r.nextDouble(1.5, 4.0);
            while (t < end && t < duration) {
                double half = 0.5 / r.nextDouble(3, 6);
                jaw.add(t + half, r.nextDouble(0.06, 0.25));
                jaw.add(t + 2 * half, r.nextDouble(0, 0.03));
                t += 2 * half;
            }
            jaw.add(t + 0.1, 0);
            t += 0.1 + r.nextDouble(0.4, 1.5);
        }
        return jaw;
    }

    /** Blinks of ~0.15 s every 2-6 s: a raised-cosine pulse of both eyelids. */
    private static Keyframes blinks(SplittableRandom r, double duration) {
        Keyframes blink = new Keyframes().add(0, 0);
        double t = r.nextDouble(0.3, 2.0);
        while (t < duration) {
            double length = r.nextDouble(0.12, 0.18);
            blink.add(t, 0).add(t + 0.5 * length, 1).add(t + length, 0);
            t += length + r.nextDouble(2, 6);
        }
        return blink;
    }

    /**
     * Expression episodes one after another: attack 0.35-0.7 s, hold 0.5-2 s, release 0.35-0.7 s at a peak of
     * 0.4-1; a mixture plays two other kinds at 0.6 each. Surprise also drops the jaw.
     */
    private static void episodes(SplittableRandom r, double duration, List<String> names, Keyframes[] channels,
                                 Keyframes surpriseJaw) {
        Episode[] kinds = Episode.values();
        double t = r.nextDouble(0.3, 1.5);
        surpriseJaw.add(0, 0);
        for (int k = 0; k < channels.length; k++) channels[k] = new Keyframes().add(0, 0);
        while (t < duration) {
            double attack = r.nextDouble(0.35, 0.7), hold = r.nextDouble(0.5, 2.0), release = r.nextDouble(0.35, 0.7);
            double peak = r.nextDouble(0.4, 1.0);
            Episode kind = kinds[r.nextInt(kinds.length)];
            double[] level = new double[channels.length];
            double jaw = 0;
            if (kind == Episode.MIXTURE) {
                int a = r.nextInt(kinds.length - 1), b = (a + 1 + r.nextInt(kinds.length - 2)) % (kinds.length - 1);
                jaw += accumulate(kinds[a], 0.6 * peak, names, level, r) + accumulate(kinds[b], 0.6 * peak, names, level, r);
            } else {
                jaw += accumulate(kind, peak, names, level, r);
            }
            double[] times = {t, t + attack, t + attack + hold, t + attack + hold + release};
            for (int k = 0; k < channels.length; k++) {
                double v = Math.min(1, level[k]);
                channels[k].add(times[0], 0).add(times[1], v).add(times[2], v).add(times[3], 0);
            }
            surpriseJaw.add(times[0], 0).add(times[1], jaw).add(times[2], jaw).add(times[3], 0);
            t = times[3] + r.nextDouble(0.5, 2.5);
        }
    }

    /** Adds one kind's directions at {@code peak} (each weight jittered by 0.8-1) into {@code level}; returns its jaw drop. */
    private static double accumulate(Episode kind, double peak, List<String> names, double[] level, SplittableRandom r) {
        // Sorted so that the jitter draws do not depend on Map.of's unspecified iteration order.
        for (String name : kind.weights.keySet().stream().sorted().toList()) {
            double jitter = r.nextDouble(0.8, 1.0);
            int k = names.indexOf(name);
            if (k >= 0) {
                level[k] += peak * kind.weights.get(name) * jitter;
            }
        }
        return kind == Episode.SURPRISE ? 0.12 * peak : 0;
    }

    /** Slow random motion per axis: keys every {@code minGap}-{@code maxGap} s, uniform within +-{@code range}. */
    private static Keyframes[] slow(SplittableRandom r, double duration, int axes, double minGap, double maxGap, double[] range) {
        Keyframes[] tracks = new Keyframes[axes];
        for (int a = 0; a < axes; a++) tracks[a] = new Keyframes();
        double t = 0;
        while (true) {
            for (int a = 0; a < axes; a++) tracks[a].add(t, r.nextDouble(-range[a], range[a]));
            if (t >= duration) {
                return tracks;
            }
            t += r.nextDouble(minGap, maxGap);
        }
    }
}
