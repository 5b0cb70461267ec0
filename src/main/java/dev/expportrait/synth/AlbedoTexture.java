package dev.expportrait.synth;

import dev.expportrait.head.Regions;
import java.util.stream.IntStream;

/**
 * Paints an identity's albedo texture in UV space: every texel is coloured by the region of the mesh face
 * behind it and by its 3-D point on the identity's neutral mesh, so features land where that face has them.
 * Skin with low-frequency tone variation, pores, freckles on some, blush on the cheeks; lip colour; eyebrows;
 * eyes with a sclera and an iris and pupil disc; hair with strand-like streaks; clothing in its pattern.
 * Noise is evaluated on 3-D points (metres), so there are no seams where the UV layout is cut.
 */
public final class AlbedoTexture {
    private AlbedoTexture() {}

    private static final float[] SCLERA = {0.90f, 0.88f, 0.84f};
    private static final float[] PUPIL = {0.03f, 0.03f, 0.035f};
    /** Iris radius and eyebrow half-thickness, as fractions of the eye width (corner to corner). */
    static final double IRIS_RADIUS = 0.19;
    static final double BROW_HALF_THICKNESS = 0.10;

    /**
     * @param faces [F, 3] the mesh faces that {@code raster}'s UV faces belong to
     * @return [size, size, 3] RGB in [0, 1], row 0 at the top (the texture's v = 1)
     */
    public static float[] paint(Appearance look, NeutralMesh mesh, int[] faces, UvRaster raster) {
        Features features = Features.of(mesh);
        int n = raster.size() * raster.size();
        float[] out = new float[n * 3];
        boolean[] painted = new boolean[n];
        float[] v = mesh.vertices();
        int[] regions = mesh.regions();
        // Texels are independent: paint them on all cores.
        IntStream.range(0, n).parallel().forEach(t -> {
            if (raster.face()[t] < 0) return;
            double[] p = raster.point(t, v, faces);
            float[] c = texel(look, features, raster.region(t, regions, faces), p);
            System.arraycopy(c, 0, out, 3 * t, 3);
            painted[t] = true;
        });
        fillGaps(out, painted, raster.size());
        return out;
    }

    /** The colour of a surface point {x, y, z} of region {@code region}. */
    static float[] texel(Appearance look, Features f, int region, double[] p) {
        long seed = look.textureSeed();
        return switch (region) {
            case Regions.LIPS -> lips(look, p, seed);
            case Regions.EYES -> eye(look, f, p, seed);
            case Regions.SCALP -> look.bald() ? skin(look, f, p, seed, false) : hair(look, p, seed);
            case Regions.SHOULDERS -> clothing(look, p, seed);
            default -> skin(look, f, p, seed, region == Regions.FACE);
        };
    }

    private static float[] skin(Appearance look, Features f, double[] p, long seed, boolean face) {
        float[] s = look.skin();
        // Low-frequency blotchiness (a few cm), slightly redder where brighter.
        double low = ValueNoise.fractal(seed, p[0] / 0.04, p[1] / 0.04, p[2] / 0.04, 3) - 0.5;
        double[] c = {s[0] * (1 + 0.16 * low), s[1] * (1 + 0.12 * low), s[2] * (1 + 0.10 * low)};
        // Pores: sub-millimetre speckle, a few darker dots.
        double pore = ValueNoise.at(seed + 11, p[0] / 0.0006, p[1] / 0.0006, p[2] / 0.0006);
        double shade = 1 + 0.05 * (pore - 0.5) - 0.08 * Smooth.step(0.22, 0.12, pore);
        for (int k = 0; k < 3; k++) c[k] *= shade;
        if (face) {
            if (look.freckles() > 0) {
                double spot = ValueNoise.at(seed + 13, p[0] / 0.0022, p[1] / 0.0022, p[2] / 0.0022);
                double threshold = 0.80 - 0.08 * look.freckles();
                double w = Smooth.step(threshold, threshold + 0.04, spot) * f.freckleZone(p) * look.freckles();
                mix(c, new double[] {s[0] * 0.72, s[1] * 0.55, s[2] * 0.45}, 0.8 * w);
            }
            mix(c, new double[] {Math.min(1, s[0] * 1.04), s[1] * 0.74, s[2] * 0.76}, 0.7 * look.blush() * f.cheeks(p));
            mix(c, toDouble(look.brows()), f.brows(p) * (0.75 + 0.25 * ValueNoise.at(seed + 17, p[0] / 0.0008, p[1] / 0.004, p[2] / 0.0008)));
        }
        return toFloat(c);
    }

    private static float[] lips(Appearance look, double[] p, long seed) {
        // Fine vertical lip lines.
        double lines = ValueNoise.at(seed + 19, p[0] / 0.0006, p[1] / 0.004, p[2] / 0.0006);
        float[] l = look.lips();
        double s = 0.94 + 0.12 * lines;
        return toFloat(new double[] {l[0] * s, l[1] * s, l[2] * s});
    }

    private static float[] eye(Appearance look, Features f, double[] p, long seed) {
        double[] centre = f.eyeCentre(p[0]);
        double dx = p[0] - centre[0], dy = p[1] - centre[1];
        double r = Math.sqrt(dx * dx + dy * dy) / f.irisRadius();
        double[] c = toDouble(SCLERA);
        // Iris fibres: noise along the angle, so streaks radiate from the pupil; a darker limbal ring at the rim.
        double angle = Math.atan2(dy, dx);
        double fibres = ValueNoise.at(seed + 23, 12 * Math.cos(angle) + 20, 12 * Math.sin(angle) + 20, 3 * r);
        double[] iris = toDouble(look.iris().rgb());
        double shade = (0.75 + 0.5 * fibres) * (1 - 0.45 * Smooth.step(0.75, 1.0, r));
        for (int k = 0; k < 3; k++) iris[k] *= shade;
        mix(c, iris, 1 - Smooth.step(0.95, 1.05, r));
        mix(c, toDouble(PUPIL), 1 - Smooth.step(0.36, 0.44, r));
        return toFloat(c);
    }

    private static float[] hair(Appearance look, double[] p, long seed) {
        // Strands run roughly vertically: noise stretched along y, a few mm long and under a mm across.
        double strands = ValueNoise.fractal(seed + 29, p[0] / 0.0012, p[1] / 0.015, p[2] / 0.0012, 2);
        double low = ValueNoise.fractal(seed + 31, p[0] / 0.05, p[1] / 0.05, p[2] / 0.05, 2);
        double s = (0.65 + 0.7 * strands) * (0.9 + 0.2 * low);
        float[] h = look.hair();
        return toFloat(new double[] {h[0] * s, h[1] * s, h[2] * s});
    }

    private static float[] clothing(Appearance look, double[] p, long seed) {
        double w = pattern(look.pattern(), look.patternPeriod(), look.patternPhase(), p[0], p[1]);
        double[] c = toDouble(look.clothing());
        mix(c, toDouble(look.accent()), w);
        // Woven fabric: faint fine grain.
        double grain = 0.96 + 0.08 * ValueNoise.at(seed + 37, p[0] / 0.0008, p[1] / 0.0008, p[2] / 0.0008);
        for (int k = 0; k < 3; k++) c[k] *= grain;
        return toFloat(c);
    }

    /**
     * Weight of the accent colour in [0, 1] at (x, y) metres (model frame, the view from the front): stripes
     * are horizontal bands of half the period, checks a gingham of such bands across and along, dots discs of
     * half the period's diameter on a square grid; edges are soft over a tenth of the period.
     */
    static double pattern(Appearance.Pattern pattern, double period, double phase, double x, double y) {
        return switch (pattern) {
            case SOLID -> 0;
            case STRIPES -> band(y / period + phase);
            case CHECKS -> 0.5 * (band(x / period + phase) + band(y / period + phase));
            case DOTS -> {
                double u = frac(x / period + phase) - 0.5, v = frac(y / period + phase) - 0.5;
                yield 1 - Smooth.step(0.22, 0.28, Math.sqrt(u * u + v * v));
            }
        };
    }

    /** 1 on the first half of each period ([0.05, 0.45] fully), 0 on the second, soft in between. */
    private static double band(double s) {
        return Smooth.window(0, 0.05, 0.45, 0.5, frac(s));
    }

    private static double frac(double s) {
        return s - Math.floor(s);
    }

    /** Unpainted texels (outside every UV triangle) take a painted neighbour's colour, so bilinear lookups at seams stay clean. */
    private static void fillGaps(float[] rgb, boolean[] painted, int size) {
        for (int pass = 0; pass < 4; pass++) {
            boolean[] now = painted.clone();
            for (int t = 0; t < painted.length; t++) {
                if (painted[t]) continue;
                int x = t % size, y = t / size;
                int[][] around = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
                for (int[] q : around) {
                    if (q[0] < 0 || q[1] < 0 || q[0] >= size || q[1] >= size || !painted[q[1] * size + q[0]]) continue;
                    System.arraycopy(rgb, 3 * (q[1] * size + q[0]), rgb, 3 * t, 3);
                    now[t] = true;
                    break;
                }
            }
            System.arraycopy(now, 0, painted, 0, painted.length);
        }
    }

    private static void mix(double[] c, double[] target, double w) {
        for (int k = 0; k < 3; k++) c[k] += w * (target[k] - c[k]);
    }

    private static double[] toDouble(float[] c) {
        return new double[] {c[0], c[1], c[2]};
    }

    private static float[] toFloat(double[] c) {
        return new float[] {(float) Smooth.clamp(c[0], 0, 1), (float) Smooth.clamp(c[1], 0, 1), (float) Smooth.clamp(c[2], 0, 1)};
    }

    /**
     * Where the painted facial features go on one identity, from its 68 landmarks (metres, model frame):
     * eye centres (mean of each eye's six points), brow lines (17-21, 22-26), cheek centres (between the eye
     * and the mouth corner, a little outward) and the freckle zone over the nose and upper cheeks.
     */
    record Features(double[][] eyes, double[][] browLines, double[][] cheekCentres, double[] freckleCentre, double eyeWidth) {

        static Features of(NeutralMesh mesh) {
            FaceFrame frame = FaceFrame.of(mesh);
            double[][] eyes = {mean(mesh, 36, 41), mean(mesh, 42, 47)};
            double[][] brows = new double[10][];
            for (int l = 17; l <= 26; l++) brows[l - 17] = mesh.landmark(l);
            double[][] cheeks = new double[2][];
            for (int side : FaceFrame.SIDES) {
                double[] corner = frame.mouthCorner()[side];
                double[] eye = (corner[0] < 0) == (eyes[0][0] < 0) ? eyes[0] : eyes[1];
                cheeks[side] = FaceFrame.lerp(eye, corner, 0.55);
                cheeks[side][0] += FaceFrame.outward(side) * 0.4 * frame.eyeWidth();
            }
            double[] freckles = FaceFrame.lerp(frame.noseBridge()[0], frame.noseBridge()[1], 0.5);
            return new Features(eyes, brows, cheeks, freckles, frame.eyeWidth());
        }

        double irisRadius() {
            return IRIS_RADIUS * eyeWidth;
        }

        /** The centre of the eye on the side of {@code x}. */
        double[] eyeCentre(double x) {
            return (x < 0) == (eyes[0][0] < 0) ? eyes[0] : eyes[1];
        }

        /** Brow colour weight in [0, 1]: 1 within the band along either brow line, soft at its edge. */
        double brows(double[] p) {
            double d = Double.MAX_VALUE;
            for (int k = 0; k < browLines.length - 1; k++) {
                if (k == 4) continue; // 21 to 22 would bridge the two brows
                d = Math.min(d, segmentDistance(p, browLines[k], browLines[k + 1]));
            }
            double h = BROW_HALF_THICKNESS * eyeWidth;
            return 1 - Smooth.step(0.7 * h, 1.2 * h, d);
        }

        /** Blush weight in [0, 1] around either cheek centre. */
        double cheeks(double[] p) {
            double w = 0;
            for (double[] c : cheekCentres) w = Math.max(w, Smooth.gauss(Math.hypot(p[0] - c[0], p[1] - c[1]), 0.5 * eyeWidth));
            return w;
        }

        /** Freckle density weight in [0, 1]: over the nose and the upper cheeks. */
        double freckleZone(double[] p) {
            double dx = (p[0] - freckleCentre[0]) / 2.2, dy = p[1] - freckleCentre[1];
            return Smooth.gauss(Math.hypot(dx, dy), 0.9 * eyeWidth);
        }

        private static double[] mean(NeutralMesh mesh, int from, int to) {
            double[] m = new double[3];
            for (int l = from; l <= to; l++) {
                double[] q = mesh.landmark(l);
                for (int c = 0; c < 3; c++) m[c] += q[c] / (to - from + 1);
            }
            return m;
        }

        /** Distance from p to segment ab in the front (x, y) plane. */
        private static double segmentDistance(double[] p, double[] a, double[] b) {
            double ex = b[0] - a[0], ey = b[1] - a[1];
            double t = Smooth.clamp(((p[0] - a[0]) * ex + (p[1] - a[1]) * ey) / (ex * ex + ey * ey + 1e-18), 0, 1);
            return Math.hypot(p[0] - a[0] - t * ex, p[1] - a[1] - t * ey);
        }
    }
}
