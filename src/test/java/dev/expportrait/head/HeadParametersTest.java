package dev.expportrait.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expportrait.io.InputException;
import org.junit.jupiter.api.Test;

class HeadParametersTest {
    private final HeadModel m = TinyModels.random(1, 8, 5, 3, 4, false);

    @Test
    void setsCoefficientsByNameAndIndexAndPosesByJointName() {
        HeadParameters p = HeadParameters.zero(m)
                .withShape(m, "shape1=1.5, 2=-0.25")
                .withExpression(m, "expr3=0.75")
                .withPose(m, "joint2=0.1,-0.2,0.3");
        assertThat(p.betas()).containsExactly(0f, 1.5f, -0.25f);
        assertThat(p.expression()).containsExactly(0f, 0f, 0f, 0.75f);
        assertThat(p.pose()).containsExactly(0, 0, 0, 0, 0, 0, 0.1f, -0.2f, 0.3f, 0, 0, 0, 0, 0, 0);
        HeadParameters same = HeadParameters.of(m, "shape1=1.5, 2=-0.25", "expr3=0.75", java.util.List.of("joint2=0.1,-0.2,0.3"));
        assertThat(same.betas()).containsExactly(p.betas());
        assertThat(same.expression()).containsExactly(p.expression());
        assertThat(same.pose()).containsExactly(p.pose());
    }

    @Test
    void refusesUnknownNamesNaNAndMalformedInputNamingTheCulprit() {
        HeadParameters p = HeadParameters.zero(m);
        assertThatThrownBy(() -> p.withExpression(m, "smile=1")).isInstanceOf(InputException.class)
                .hasMessageContaining("unknown expression name 'smile'");
        assertThatThrownBy(() -> p.withShape(m, "shape0=NaN")).isInstanceOf(InputException.class)
                .hasMessageContaining("shape coefficient 'shape0'").hasMessageContaining("not finite");
        assertThatThrownBy(() -> p.withShape(m, "7=1")).isInstanceOf(InputException.class).hasMessageContaining("index 7");
        assertThatThrownBy(() -> p.withPose(m, "neck=0,0,0")).isInstanceOf(InputException.class).hasMessageContaining("joint name 'neck'");
        assertThatThrownBy(() -> p.withPose(m, "joint1=0,0")).isInstanceOf(InputException.class).hasMessageContaining("three");
        assertThatThrownBy(() -> p.withExpression(m, "expr0=abc")).isInstanceOf(InputException.class).hasMessageContaining("'abc' is not a number");
    }
}
