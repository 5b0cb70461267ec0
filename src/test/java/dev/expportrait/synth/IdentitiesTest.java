package dev.expportrait.synth;

import static dev.expportrait.synth.SynthFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentitiesTest {

    @Test
    void sameSeedGivesTheSameIdentity() {
        Identity a = Identities.sample(42, MODEL), b = Identities.sample(42, MODEL);
        assertThat(Arrays.equals(a.betas(), b.betas())).isTrue();
        assertThat(a.withBetas(b.betas())).usingRecursiveComparison().isEqualTo(b);
    }

    @Test
    void differentSeedsGiveDifferentIdentities() {
        Identity a = Identities.sample(1, MODEL), b = Identities.sample(2, MODEL);
        assertThat(Arrays.equals(a.betas(), b.betas())).isFalse();
        assertThat(a.age()).isNotEqualTo(b.age());
    }

    @Test
    void attributesStayInTheirRangesAndCoverEveryHairStyle() {
        Set<HairStyle> styles = EnumSet.noneOf(HairStyle.class);
        for (long seed = 0; seed < 60; seed++) {
            Identity id = Identities.sample(seed, MODEL);
            styles.add(id.hairStyle());
            assertThat(id.betas()).hasSize(MODEL.numShape());
            for (float b : id.betas()) assertThat(b).isBetween(-2.5f, 2.5f);
            assertThat(id.age()).isBetween(5.0, 80.0);
            assertThat(id.wrinkleDepth()).isBetween(0.0, 2.5e-3);
            assertThat(id.hairThickness() == 0).isEqualTo(id.hairStyle() == HairStyle.BALD);
        }
        assertThat(styles).containsExactlyInAnyOrder(HairStyle.values());
    }

    @Test
    void wrinkleDepthGrowsWithAge() {
        Identity id = Identities.sample(7, MODEL);
        assertThat(id.atAge(6).wrinkleDepth()).isLessThan(0.05e-3);
        assertThat(id.atAge(40).wrinkleDepth()).isBetween(id.atAge(6).wrinkleDepth(), id.atAge(75).wrinkleDepth());
        assertThat(id.atAge(75).wrinkleDepth()).isGreaterThan(1.5e-3);
    }
}
