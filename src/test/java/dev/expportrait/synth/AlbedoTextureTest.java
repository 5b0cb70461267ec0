package dev.expportrait.synth;

import static dev.expportrait.synth.SynthFixture.HEAD;
import static dev.expportrait.synth.SynthFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.Regions;
import java.util.Arrays;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The painted texture of the built-in head at 512 x 512 (as clips at 256 px use): features where the face has them. */
class AlbedoTextureTest {
    static final int SIZE = 512;
    static final DenseHead.Uvs UVS = HEAD.denseUvs();
    static final UvRaster RASTER = UvRaster.of(UVS.uvs(), UVS.uvFaces(), SIZE);
    static final int[] FACES = HEAD.faces(); // fetched once: the accessors copy

    /** One identity's texture with the 3-D point and region behind each texel. */
    record Painted(Appearance look, NeutralMesh mesh, AlbedoTexture.Features features, float[] rgb) {
        static Painted of(long seed) {
            Identity id = Identities.sample(seed, MODEL);
            return of(id, Appearance.of(id));
        }

        static Painted of(Identity id, Appearance look) {
            NeutralMesh mesh = NeutralMesh.of(id, HEAD);
            return new Painted(look, mesh, AlbedoTexture.Features.of(mesh), AlbedoTexture.paint(look, mesh, FACES, RASTER));
        }

        /** Mean colour [3] of the texels of {@code region} whose point passes {@code where}, and their count in [3]. */
        double[] mean(int region, Predicate<double[]> where) {
            double[] m = new double[4];
            int[] regions = mesh.regions();
            float[] vertices = mesh.vertices();
            for (int t = 0; t < SIZE * SIZE; t++) {
                if (RASTER.face()[t] < 0 || RASTER.region(t, regions, FACES) != region) continue;
                if (!where.test(RASTER.point(t, vertices, FACES))) continue;
                for (int c = 0; c < 3; c++) m[c] += rgb[3 * t + c];
                m[3]++;
            }
            assertThat(m[3]).as("texels in the area").isGreaterThanOrEqualTo(3);
            for (int c = 0; c < 3; c++) m[c] /= m[3];
            return m;
        }
    }

    @Test
    void theSameSeedPaintsTheSameTextureAndAnotherSeedAnother() {
        float[] a = Painted.of(11).rgb(), b = Painted.of(11).rgb(), c = Painted.of(12).rgb();
        assertThat(a).hasSize(SIZE * SIZE * 3);
        assertThat(Arrays.equals(a, b)).isTrue();
        assertThat(Arrays.equals(a, c)).isFalse();
        for (float x : a) assertThat(x).isBetween(0f, 1f);
    }

    @Test
    void lipsAreRedderThanTheCheeksAndTheCheeksBlush() {
        for (long seed = 20; seed < 24; seed++) {
            Painted p = Painted.of(seed);
            double[] lips = p.mean(Regions.LIPS, q -> true);
            double[] cheeks = p.mean(Regions.FACE, q -> p.features().cheeks(q) > 0.8);
            double[] forehead = p.mean(Regions.FACE, q -> q[1] > p.features().browLines()[2][1] + 0.015 && Math.abs(q[0]) < 0.02);
            assertThat(redness(lips)).as("seed %d lips vs cheeks", seed).isGreaterThan(redness(cheeks) + 0.05);
            assertThat(redness(cheeks)).as("seed %d cheeks vs forehead", seed).isGreaterThan(redness(forehead));
        }
    }

    @Test
    void browsAreADarkerBandAboveTheEyes() {
        Painted p = Painted.of(31);
        double browY = p.features().browLines()[2][1];
        double[] brows = p.mean(Regions.FACE, q -> p.features().brows(q) > 0.99);
        double[] forehead = p.mean(Regions.FACE, q -> q[1] > browY + 0.015 && Math.abs(q[0]) < 0.02);
        assertThat(brightness(brows)).isLessThan(brightness(forehead) - 0.05);
        assertThat(p.features().browLines()[2][1]).isGreaterThan(p.features().eyes()[0][1]);
    }

    @Test
    void eachEyeHasADarkPupilInAnIrisOfThePaletteColourOnAWhiteSclera() {
        for (long seed = 40; seed < 44; seed++) {
            Painted p = Painted.of(seed);
            double r = p.features().irisRadius();
            for (double[] eye : p.features().eyes()) {
                Predicate<double[]> side = q -> Math.signum(q[0]) == Math.signum(eye[0]);
                double[] pupil = p.mean(Regions.EYES, q -> side.test(q) && Math.hypot(q[0] - eye[0], q[1] - eye[1]) < 0.3 * r);
                double[] iris = p.mean(Regions.EYES, q -> side.test(q) && between(Math.hypot(q[0] - eye[0], q[1] - eye[1]) / r, 0.55, 0.8));
                double[] sclera = p.mean(Regions.EYES, q -> side.test(q) && between(Math.hypot(q[0] - eye[0], q[1] - eye[1]) / r, 1.3, 2.0));
                assertThat(brightness(pupil)).isLessThan(0.1);
                assertThat(brightness(sclera)).isGreaterThan(0.8);
                float[] palette = p.look().iris().rgb();
                assertThat(distance(iris, sclera)).isGreaterThan(0.25);
                assertThat(distance(iris, new double[] {palette[0], palette[1], palette[2]})).as("seed %d iris %s", seed, p.look().iris()).isLessThan(0.15);
            }
        }
    }

    @Test
    void stripesRepeatWithThePatternPeriodAndOtherPatternsDiffer() {
        long seed = seedWith(Appearance.Pattern.STRIPES);
        Painted p = Painted.of(seed);
        Appearance look = p.look();
        Predicate<double[]> firstHalf = q -> between(phase(q, look), 0.1, 0.4), secondHalf = q -> between(phase(q, look), 0.6, 0.9);
        double[] accent = p.mean(Regions.SHOULDERS, firstHalf), base = p.mean(Regions.SHOULDERS, secondHalf);
        assertThat(distance(accent, toDouble(look.accent()))).isLessThan(0.06);
        assertThat(distance(base, toDouble(look.clothing()))).isLessThan(0.06);
        // Checks and dots leave some accent in every band; solid has none anywhere.
        assertThat(AlbedoTexture.pattern(Appearance.Pattern.SOLID, 0.02, 0, 0.013, 0.007)).isZero();
        assertThat(AlbedoTexture.pattern(Appearance.Pattern.CHECKS, 0.02, 0, 0.005, 0.015)).isEqualTo(0.5);
        assertThat(AlbedoTexture.pattern(Appearance.Pattern.DOTS, 0.02, 0, 0.01, 0.01)).isEqualTo(1.0);
        assertThat(AlbedoTexture.pattern(Appearance.Pattern.DOTS, 0.02, 0, 0.0, 0.0)).isEqualTo(0.0);
    }

    @Test
    void frecklesAddDarkSpotsOverTheNoseAndCheeks() {
        long seed = 50;
        Identity id = Identities.sample(seed, MODEL);
        Appearance look = Appearance.sample(seed, false);
        Appearance plain = withFreckles(look, 0), freckled = withFreckles(look, 1);
        assertThat(darkSpots(Painted.of(id, freckled))).isGreaterThan(darkSpots(Painted.of(id, plain)) + 0.02);
    }

    @Test
    void hairIsStreakedAlongTheStrandsAndBaldScalpsAreSkin() {
        long seed = 60;
        Identity id = Identities.sample(seed, MODEL);
        Appearance look = Appearance.sample(seed, false);
        Painted p = Painted.of(id, look);
        double[] hair = p.mean(Regions.SCALP, q -> true);
        assertThat(distance(hair, toDouble(look.hair()))).isLessThan(0.1);
        // Strands run along y: 2 mm along them the colour changes much less than 2 mm across.
        java.util.Random r = new java.util.Random(3);
        double along = 0, across = 0;
        for (int i = 0; i < 2000; i++) {
            double[] q = {0.1 * r.nextDouble() - 0.05, 0.25 + 0.05 * r.nextDouble(), 0.1 * r.nextDouble() - 0.05};
            float[] c = AlbedoTexture.texel(look, p.features(), Regions.SCALP, q);
            along += Math.abs(AlbedoTexture.texel(look, p.features(), Regions.SCALP, new double[] {q[0], q[1] + 0.002, q[2]})[1] - c[1]);
            across += Math.abs(AlbedoTexture.texel(look, p.features(), Regions.SCALP, new double[] {q[0] + 0.002, q[1], q[2]})[1] - c[1]);
        }
        assertThat(along).isLessThan(0.5 * across);
        Painted bald = Painted.of(id, Appearance.sample(seed, true));
        double[] scalp = bald.mean(Regions.SCALP, q -> true);
        assertThat(distance(scalp, toDouble(look.skin()))).isLessThan(0.1);
    }

    /** Fraction of freckle-zone texels at least 15% darker than the zone's median. */
    private static double darkSpots(Painted p) {
        double[] b = new double[SIZE * SIZE];
        int n = 0;
        int[] regions = p.mesh().regions();
        float[] vertices = p.mesh().vertices();
        for (int t = 0; t < SIZE * SIZE; t++) {
            if (RASTER.face()[t] < 0 || RASTER.region(t, regions, FACES) != Regions.FACE) continue;
            if (p.features().freckleZone(RASTER.point(t, vertices, FACES)) < 0.6) continue;
            b[n++] = (p.rgb()[3 * t] + p.rgb()[3 * t + 1] + p.rgb()[3 * t + 2]) / 3.0;
        }
        double[] s = Arrays.copyOf(b, n);
        Arrays.sort(s);
        double median = s[n / 2];
        return Arrays.stream(s).filter(x -> x < 0.85 * median).count() / (double) n;
    }

    private static Appearance withFreckles(Appearance a, double freckles) {
        return new Appearance(a.skin(), a.hair(), a.brows(), a.lips(), a.iris(), a.clothing(), a.accent(), a.pattern(), a.patternPeriod(),
                a.patternPhase(), freckles, a.blush(), a.textureSeed(), a.background());
    }

    private static long seedWith(Appearance.Pattern pattern) {
        for (long s = 0; ; s++) {
            if (Appearance.sample(s, false).pattern() == pattern) return s;
        }
    }

    private static double phase(double[] q, Appearance look) {
        double s = q[1] / look.patternPeriod() + look.patternPhase();
        return s - Math.floor(s);
    }

    private static boolean between(double x, double lo, double hi) {
        return x >= lo && x <= hi;
    }

    private static double redness(double[] c) {
        return c[0] / (c[1] + c[2] + 1e-9);
    }

    private static double brightness(double[] c) {
        return (c[0] + c[1] + c[2]) / 3;
    }

    private static double distance(double[] a, double[] b) {
        return Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
    }

    private static double[] toDouble(float[] c) {
        return new double[] {c[0], c[1], c[2]};
    }
}
