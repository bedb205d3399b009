package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeScheduleTest {

    private final ProbeSchedule schedule = new ProbeSchedule(Duration.ofMillis(100), Duration.ofSeconds(60), 0.2);

    @Test
    void shouldStartAtTheIntervalAndGrowToATwentiethOfTheTimeOpen() {
        assertThat(schedule.baseDelay(Duration.ZERO)).isEqualTo(Duration.ofMillis(100));
        assertThat(schedule.baseDelay(Duration.ofMillis(1900))).isEqualTo(Duration.ofMillis(100));
        assertThat(schedule.baseDelay(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(250));
        assertThat(schedule.baseDelay(Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void shouldNeverWaitLongerThanTheResetTime() {
        assertThat(schedule.baseDelay(Duration.ofHours(2))).isEqualTo(Duration.ofSeconds(60));
        assertThat(schedule.delay(Duration.ofHours(2), () -> 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void shouldSpreadEachDelayByTheJitter() {
        Duration openFor = Duration.ofSeconds(10);

        assertThat(schedule.delay(openFor, () -> 0.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(schedule.delay(openFor, () -> 0.5)).isEqualTo(Duration.ofMillis(500));
        assertThat(schedule.delay(openFor, () -> 0.999_999)).isBetween(Duration.ofMillis(599), Duration.ofMillis(600));
    }

    @Test
    void shouldSeeADependencyBackWithinATwentiethOfItsOutagePlusTheInterval() {
        // Walk the schedule through 5 s and 10 s outages, as the prober does, with the largest jitter: the
        // 10 s one is the Gatling outage simulation's, which wants everything served 1 s after it ends.
        for (long outageMs : new long[] {5000, 10_000}) {
            Duration open = Duration.ZERO;
            while (open.compareTo(Duration.ofMillis(outageMs)) < 0) {
                open = open.plus(schedule.delay(open, () -> 0.999_999));
            }

            assertThat(open.minusMillis(outageMs)).as("outage %d ms", outageMs)
                    .isLessThan(Duration.ofMillis(outageMs / 20 * 12 / 10 + 100));
        }
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
