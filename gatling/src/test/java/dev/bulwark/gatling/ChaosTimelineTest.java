package dev.bulwark.gatling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ChaosTimelineTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static ChaosTimeline outage(Clock clock) {
        return ChaosTimeline.builder()
                .phase("steady", Duration.ofSeconds(10), false)
                .act("disable", () -> { })
                .phase("outage", Duration.ofSeconds(5), true)
                .act("enable", () -> { })
                .phase("transition", Duration.ofSeconds(3), true)
                .phase("recovery", Duration.ofSeconds(10), false)
                .build(clock);
    }

    @Test
    void shouldPutEachMomentInThePhaseThatStartedLast() {
        ChaosTimeline timeline = outage(Clock.systemUTC());

        assertThat(timeline.phaseAt(Duration.ZERO).name()).isEqualTo("steady");
        assertThat(timeline.phaseAt(Duration.ofMillis(9_999)).name()).isEqualTo("steady");
        assertThat(timeline.phaseAt(Duration.ofSeconds(10)).name()).isEqualTo("outage");
        assertThat(timeline.phaseAt(Duration.ofSeconds(15)).name()).isEqualTo("transition");
        assertThat(timeline.phaseAt(Duration.ofSeconds(18)).name()).isEqualTo("recovery");
        assertThat(timeline.phaseAt(Duration.ofSeconds(60)).name()).isEqualTo("recovery");
        assertThat(timeline.total()).isEqualTo(Duration.ofSeconds(28));
    }

    @Test
    void shouldCountTimeFromTheFirstLookAtTheTimeline() {
        ManualClock clock = new ManualClock();
        ChaosTimeline timeline = outage(clock);
        clock.advance(Duration.ofMinutes(5));

        Phase first = timeline.phaseNow();
        clock.advance(Duration.ofSeconds(12));
        Phase later = timeline.phaseNow();

        assertThat(first.name()).isEqualTo("steady");
        assertThat(later.name()).isEqualTo("outage");
        assertThat(later.unavailableAllowed()).isTrue();
    }

    @Test
    void shouldRefuseAnEmptyTimelineOrAPhaseWithoutLength() {
        assertThatThrownBy(() -> ChaosTimeline.builder().build(Clock.systemUTC()))
                .hasMessage("a timeline needs at least one phase");
        assertThatThrownBy(() -> ChaosTimeline.builder().phase("steady", Duration.ZERO, false))
                .hasMessage("phase steady must last more than 0 s, got PT0S");
    }
}
