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
