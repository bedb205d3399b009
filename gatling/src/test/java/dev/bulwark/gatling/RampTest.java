package dev.bulwark.gatling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RampTest {

    @Test
    void shouldGrowEachLevelByTheStepFromTheStartRate() {
        Ramp ramp = new Ramp(20, 25, 14, Duration.ofSeconds(5));

        assertThat(ramp.rate(1)).isEqualTo(20.0);
        assertThat(ramp.rate(2)).isEqualTo(25.0);
        assertThat(ramp.rate(3)).isEqualTo(31.3);
        assertThat(ramp.rate(14)).isEqualTo(363.8);
        assertThat(ramp.total()).isEqualTo(Duration.ofSeconds(70));
    }

    @Test
    void shouldRefuseALevelOutsideTheRamp() {
        Ramp ramp = new Ramp(20, 25, 3, Duration.ofSeconds(5));

        assertThatThrownBy(() -> ramp.rate(4)).hasMessage("level must be from 1 to 3, got 4");
        assertThatThrownBy(() -> ramp.rate(0)).hasMessage("level must be from 1 to 3, got 0");
    }
}
