package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeScheduleTest {

    private final ProbeSchedule schedule = new ProbeSchedule(Duration.ofMillis(100), Duration.ofSeconds(60), 0.2);

    @Test
    void shouldStartAtTheIntervalAndGrowToATenthOfTheTimeOpen() {
        assertThat(schedule.baseDelay(Duration.ZERO)).isEqualTo(Duration.ofMillis(100));
        assertThat(schedule.baseDelay(Duration.ofMillis(900))).isEqualTo(Duration.ofMillis(100));
        assertThat(schedule.baseDelay(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(500));
        assertThat(schedule.baseDelay(Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void shouldNeverWaitLongerThanTheResetTime() {
        assertThat(schedule.baseDelay(Duration.ofHours(2))).isEqualTo(Duration.ofSeconds(60));
        assertThat(schedule.delay(Duration.ofHours(2), () -> 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void shouldSpreadEachDelayByTheJitter() {
        Duration openFor = Duration.ofSeconds(10);

        assertThat(schedule.delay(openFor, () -> 0.0)).isEqualTo(Duration.ofMillis(800));
        assertThat(schedule.delay(openFor, () -> 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(schedule.delay(openFor, () -> 0.999_999)).isBetween(Duration.ofMillis(1199), Duration.ofMillis(1200));
    }

    @Test
    void shouldSeeADependencyBackWithinATenthOfItsOutagePlusTheInterval() {
        // Walk the schedule through a 5 s outage, as the prober does, with the largest jitter.
        Duration open = Duration.ZERO;
        while (open.compareTo(Duration.ofSeconds(5)) < 0) {
            open = open.plus(schedule.delay(open, () -> 0.999_999));
        }

        assertThat(open.minusSeconds(5)).isLessThan(Duration.ofMillis(5000 / 10 * 12 / 10 + 100));
    }

    @Test
    void shouldRejectNonsenseSettings() {
        assertThatThrownBy(() -> new ProbeSchedule(Duration.ZERO, Duration.ofSeconds(1), 0))
                .hasMessageContaining("probe interval must be positive");
        assertThatThrownBy(() -> new ProbeSchedule(Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
                .hasMessageContaining("at least the probe interval");
        assertThatThrownBy(() -> new ProbeSchedule(Duration.ofSeconds(1), Duration.ofSeconds(1), 2))
                .hasMessageContaining("jitter");
    }
}
