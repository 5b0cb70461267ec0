package dev.expportrait.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Float16Test {

    @Test
    void everyHalfSurvivesARoundTripThroughFloat() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short h = (short) bits;
            float f = Float16.toFloat(h);
            if (Float.isNaN(f)) {
                assertThat(Float.isNaN(Float16.toFloat(Float16.fromFloat(f)))).as("NaN %04x", bits).isTrue();
            } else {
                assertThat(Float16.fromFloat(f)).as("half %04x", bits).isEqualTo(h);
            }
        }
    }

    @Test
    void decodesKnownValues() {
        assertThat(Float16.toFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(Float16.toFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(Float16.toFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(Float16.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Float16.toFloat((short) 0x0400)).isEqualTo(0x1p-14f);
        assertThat(Float16.toFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Float.floatToRawIntBits(Float16.toFloat((short) 0x8000))).isEqualTo(0x80000000);
    }

    @Test
    void roundsToNearestEven() {
        assertThat(Float16.fromFloat(1f / 3)).isEqualTo((short) 0x3555);
        assertThat(Float16.fromFloat(65519f)).isEqualTo((short) 0x7bff);
        assertThat(Float16.fromFloat(65520f)).isEqualTo((short) 0x7c00);
        assertThat(Float16.fromFloat(-1e6f)).isEqualTo((short) 0xfc00);
        assertThat(Float16.fromFloat(5.96e-8f)).isEqualTo((short) 0x0001);
        assertThat(Float16.fromFloat(0x1p-25f)).isEqualTo((short) 0x0000); // tie between 0 and 2^-24: even
        assertThat(Float16.fromFloat(0x1.8p-24f)).isEqualTo((short) 0x0002); // tie between 1 and 2 ulps: even
        assertThat(Float16.fromFloat(1f + 0x1p-11f)).isEqualTo((short) 0x3c00); // tie: stays on even 1.0
        assertThat(Float16.fromFloat(1f + 0x1.8p-10f)).isEqualTo((short) 0x3c02); // tie: up to even
        assertThat(Float16.fromFloat(0x1.ffcp-15f)).isEqualTo((short) 0x0400); // subnormal rounding carries into normal
        assertThat(Float16.fromFloat(Float.NaN)).isEqualTo((short) 0x7e00);
        // a NaN with payload only in the low bits stays NaN rather than becoming infinity
        assertThat(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.intBitsToFloat(0x7f800001))))).isTrue();
    }
}
