package dev.expportrait.fit;

import java.util.Arrays;

/**
 * What the fit sees of a clip: T frames of W x H pixels with 2D landmarks and, optionally, dense targets
 * and a known camera. Arrays are row-major, frame-major; null marks an observation that is absent.
 *
 * @param source where the observations came from (a clip folder), for messages and provenance
 * @param frames T
 * @param width W, pixels
 * @param height H, pixels
 * @param fps frames per second
 * @param landmarks [T, L, 2] pixels, the centre of the top-left pixel at (0, 0); required
 * @param normals [T, H, W, 3] unit vectors in the image-normal frame (x right, y up, z towards the camera),
 *     0 where not covered; or null
 * @param depth [T, H, W] metres along the camera axis, 0 = no data; or null
 * @param masks [T, H, W] in [0, 1]; or null
 * @param rgb T frames of H * W * 3 bytes (RGB8); or null
 * @param intrinsics [T, 4] fx, fy, cx, cy per frame, pixels; or null when the camera is unknown
 * @param rotation [3, 3] world-to-camera rotation, row-major; or null
 * @param cameraTranslation [3] world-to-camera translation, metres; or null
 */
public record Observations(String source, int frames, int width, int height, double fps, float[] landmarks,
                           float[] normals, float[] depth, float[] masks, byte[][] rgb, float[] intrinsics,
                           double[] rotation, double[] cameraTranslation) {

    /** Checks that every present array has the length its shape needs (IllegalArgumentException otherwise). */
    public Observations {
        if (frames < 1 || width < 1 || height < 1) {
            throw new IllegalArgumentException("observations need at least one frame of 1x1 px, got " + frames + " frames of " + width + "x" + height);
        }
        if (landmarks == null || landmarks.length == 0 || landmarks.length % (frames * 2) != 0) {
            throw new IllegalArgumentException("landmarks must be [T, L, 2] with T = " + frames + ", got "
                    + (landmarks == null ? "none" : landmarks.length + " values"));
        }
        int px = width * height;
        checkLength("normals", normals == null ? -1 : normals.length, frames * px * 3);
        checkLength("depth", depth == null ? -1 : depth.length, frames * px);
        checkLength("masks", masks == null ? -1 : masks.length, frames * px);
        checkLength("intrinsics", intrinsics == null ? -1 : intrinsics.length, frames * 4);
        checkLength("rotation", rotation == null ? -1 : rotation.length, 9);
        checkLength("cameraTranslation", cameraTranslation == null ? -1 : cameraTranslation.length, 3);
        if (rgb != null) {
            if (rgb.length != frames) {
                throw new IllegalArgumentException("rgb has " + rgb.length + " frames, expected " + frames);
            }
            for (byte[] f : rgb) {
                if (f.length != px * 3) {
                    throw new IllegalArgumentException("an rgb frame has " + f.length + " bytes, expected " + px * 3);
                }
            }
        }
    }

    /** {@code length} is -1 for an absent array, which is always fine. */
    private static void checkLength(String name, int length, int expected) {
        if (length >= 0 && length != expected) {
            throw new IllegalArgumentException(name + " has " + length + " values, expected " + expected);
        }
    }

    /** L, the number of landmarks per frame. */
    public int numLandmarks() {
        return landmarks.length / (frames * 2);
    }

    /** Whether any dense target (normals, depth or masks) is present. */
    public boolean hasDense() {
        return normals != null || depth != null || masks != null;
    }

    /** Frame {@code t} alone (single-image mode): a one-frame copy sharing nothing with this. */
    public Observations frame(int t) {
        if (t < 0 || t >= frames) {
            throw new IndexOutOfBoundsException("frame " + t + " of " + frames);
        }
        return range(source + "#" + t, t, 1);
    }

    /**
     * The first {@code n} frames (a quick look at a long clip): a copy sharing nothing with this, same source.
     * {@code n} at least the frame count returns this.
     */
    public Observations firstFrames(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("first " + n + " frames: need at least one");
        }
        if (n >= frames) {
            return this;
        }
        return range(source, 0, n);
    }

    /** Frames t0 .. t0+n-1 as a copy sharing nothing with this. */
    private Observations range(String name, int t0, int n) {
        int px = width * height;
        return new Observations(name, n, width, height, fps, slice(landmarks, t0, n, numLandmarks() * 2),
                slice(normals, t0, n, px * 3), slice(depth, t0, n, px), slice(masks, t0, n, px),
                rgb == null ? null : Arrays.stream(rgb, t0, t0 + n).map(byte[]::clone).toArray(byte[][]::new), slice(intrinsics, t0, n, 4),
                rotation == null ? null : rotation.clone(), cameraTranslation == null ? null : cameraTranslation.clone());
    }

    /** Frames t .. t+n-1 of a frame-major array with {@code per} values a frame; null stays null. */
    private static float[] slice(float[] a, int t, int n, int per) {
        return a == null ? null : Arrays.copyOfRange(a, t * per, (t + n) * per);
    }

    /**
     * The observations at 1/{@code factor} resolution: W/factor x H/factor (rounded down; leftover edge pixels
     * are dropped), each pixel the average of its factor x factor block. Normals are summed and renormalized
     * (uncovered zeros do not pull the direction), depth averages only valid (&gt; 0) pixels, masks and RGB
     * average all. Landmarks and the principal point move with pixel centres, u' = (u + 0.5) / factor - 0.5;
     * focal lengths divide by the factor. The extrinsics are unchanged. A factor of 1 returns this.
     */
    public Observations downsample(int factor) {
        if (factor < 1 || width / factor < 1 || height / factor < 1) {
            throw new IllegalArgumentException("cannot downsample " + width + "x" + height + " by " + factor);
        }
        if (factor == 1) {
            return this;
        }
        Downsampler d = new Downsampler(width, height, factor);
        float[] lm = landmarks.clone();
        for (int i = 0; i < lm.length; i++) {
            lm[i] = d.coordinate(lm[i]);
        }
        float[] k = null;
        if (intrinsics != null) {
            k = intrinsics.clone();
            for (int t = 0; t < frames; t++) {
                k[t * 4] /= factor;
                k[t * 4 + 1] /= factor;
                k[t * 4 + 2] = d.coordinate(k[t * 4 + 2]);
                k[t * 4 + 3] = d.coordinate(k[t * 4 + 3]);
            }
        }
        byte[][] small = null;
        if (rgb != null) {
            small = new byte[frames][];
            for (int t = 0; t < frames; t++) small[t] = d.rgb(rgb[t]);
        }
        return new Observations(source, frames, d.width(), d.height(), fps, lm,
                normals == null ? null : d.normals(normals, frames), depth == null ? null : d.depth(depth, frames),
                masks == null ? null : d.average(masks, frames, 1), small, k,
                rotation == null ? null : rotation.clone(), cameraTranslation == null ? null : cameraTranslation.clone());
    }
}
