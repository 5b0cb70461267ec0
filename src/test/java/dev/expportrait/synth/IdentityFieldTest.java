package dev.expportrait.synth;

import static dev.expportrait.synth.SynthFixture.HEAD;
import static dev.expportrait.synth.SynthFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.expportrait.head.Regions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentityFieldTest {

    @Test
    void sameIdentityGivesTheSameOffsetsWhateverTheMotion() {
        Identity id = Identities.sample(5, MODEL);
        NeutralMesh mesh = NeutralMesh.of(id, HEAD);
        float[] first = IdentityField.evaluate(id, mesh);
        Motions.sample(1, MODEL, 10, 25);
        float[] again = IdentityField.evaluate(id, NeutralMesh.of(Identities.sample(5, MODEL), HEAD));
        assertThat(first).hasSize(HEAD.numVertices() * 3);
        assertThat(Arrays.equals(first, again)).isTrue();
    }

    @Test
    void differentIdentitiesGetDifferentOffsets() {
        Identity a = Identities.sample(5, MODEL), b = Identities.sample(6, MODEL);
        float[] da = IdentityField.evaluate(a, NeutralMesh.of(a, HEAD));
        float[] db = IdentityField.evaluate(b, NeutralMesh.of(b, HEAD));
        assertThat(Arrays.equals(da, db)).isFalse();
    }

    @Test
    void offsetsLieMostlyOutsideTheFaceForEveryHairStyle() {
        Set<HairStyle> seen = EnumSet.noneOf(HairStyle.class);
        for (long seed = 0; seen.size() < HairStyle.values().length; seed++) {
            Identity id = Identities.sample(seed, MODEL);
            if (!seen.add(id.hairStyle())) {
                continue;
            }
            NeutralMesh mesh = NeutralMesh.of(id, HEAD);
            float[] d = IdentityField.evaluate(id, mesh);
            int[] regions = mesh.regions();
            double inside = 0, total = 0, largest = 0;
            for (int i = 0; i < regions.length; i++) {
                double m2 = d[i * 3] * d[i * 3] + d[i * 3 + 1] * d[i * 3 + 1] + d[i * 3 + 2] * d[i * 3 + 2];
                total += m2;
                largest = Math.max(largest, Math.sqrt(m2));
                if (regions[i] == Regions.FACE || regions[i] == Regions.LIPS || regions[i] == Regions.EYES) {
                    inside += m2;
                }
            }
            assertThat(total).as("seed %d (%s)", seed, id.hairStyle()).isPositive();
            assertThat(inside / total).as("seed %d (%s)", seed, id.hairStyle()).isLessThanOrEqualTo(0.2);
            assertThat(largest).as("seed %d (%s)", seed, id.hairStyle()).isLessThan(0.05);
        }
    }

    @Test
    void restingCreasesAreTheForeheadFoldAtAFifthOfItsDepthAndGrowWithAge() {
        Identity old = Identities.sample(3, MODEL).atAge(78), child = old.atAge(6);
        NeutralMesh mesh = NeutralMesh.of(old, HEAD);
        float[] rest = ExpressionField.restLines(old, mesh);
        // Raised brows drive the forehead folds alone: where they crease, the resting trace is the same
        // pattern at REST_FRACTION of the depth (both along the same normals).
        float[] raised = ExpressionField.of(old, mesh, MODEL).evaluate(
                SynthFixture.expression("browInnerUp", 1, "browOuterUpLeft", 1, "browOuterUpRight", 1), new float[3]);
        double dot = 0, rr = 0, ee = 0;
        int n = 0;
        for (int i = 0; i < raised.length; i++) {
            if (raised[i] != 0) {
                dot += rest[i] * raised[i];
                rr += rest[i] * rest[i];
                ee += raised[i] * raised[i];
                n++;
            }
        }
        assertThat(n).isPositive();
        assertThat(dot / Math.sqrt(rr * ee)).isGreaterThan(0.95);
        assertThat(dot / ee).isCloseTo(ExpressionField.REST_FRACTION, org.assertj.core.api.Assertions.within(0.03));
        // A child's face is almost smooth at rest; the old face's lines are tenths of a millimetre.
        double oldRms = SynthFixture.rms(rest), childRms = SynthFixture.rms(ExpressionField.restLines(child, mesh));
        assertThat(childRms).isLessThan(0.05 * oldRms);
        float max = 0;
        for (float v : rest) max = Math.max(max, Math.abs(v));
        assertThat(max).isBetween(0.1e-3f, 0.6e-3f);
    }

    @Test
    void hairVolumeFollowsTheStyle() {
        Identity bald = withStyle(HairStyle.BALD), bun = withStyle(HairStyle.BUN), shortHair = withStyle(HairStyle.SHORT);
        assertThat(scalpMax(bald)).isZero();
        assertThat(scalpMax(shortHair)).isBetween(2e-3, 9e-3);
        assertThat(scalpMax(bun)).isGreaterThan(0.02);
    }

    private static Identity withStyle(HairStyle style) {
        for (long seed = 0; ; seed++) {
            Identity id = Identities.sample(seed, MODEL);
            if (id.hairStyle() == style) {
                return id;
            }
        }
    }

    private static double scalpMax(Identity id) {
        NeutralMesh mesh = NeutralMesh.of(id, HEAD);
        float[] d = IdentityField.evaluate(id, mesh);
        double max = 0;
        for (int i = 0; i < mesh.numVertices(); i++) {
            if (mesh.regions()[i] == Regions.SCALP) {
                max = Math.max(max, Math.sqrt(d[i * 3] * d[i * 3] + d[i * 3 + 1] * d[i * 3 + 1] + d[i * 3 + 2] * d[i * 3 + 2]));
            }
        }
        return max;
    }
}
