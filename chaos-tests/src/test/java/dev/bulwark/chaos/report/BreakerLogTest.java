package dev.bulwark.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BreakerLogTest {

    private static final long S = 1_000_000_000L;

    @Test
    void shouldTurnPolledStatesIntoIntervalsThatLastUntilTheNextStateOrTheEnd() {
        // Given states polled every half second, mostly repeated
        BreakerLog log = new BreakerLog();
        log.observe("database", "CLOSED", 0);
        log.observe("database", "CLOSED", S / 2);
        log.observe("database", "OPEN", S);
        log.observe("database", "OPEN", 3 * S / 2);
        log.observe("database", "HALF_OPEN", 2 * S);
        log.observe("database", "CLOSED", 5 * S / 2);
        log.observe("database", "CLOSED", 3 * S);

        // When read as intervals up to 4 s
        // Then each change starts one, which lasts until the next change, the last until the end
        assertThat(log.intervals("database", 0, 4 * S)).containsExactly(
                new BreakerLog.Interval("CLOSED", 0, 1), new BreakerLog.Interval("OPEN", 1, 2),
                new BreakerLog.Interval("HALF_OPEN", 2, 2.5), new BreakerLog.Interval("CLOSED", 2.5, 4));
    }

    @Test
    void shouldClipIntervalsToTheTimelineAndMeasureFromItsOrigin() {
        // Given an open breaker from 1 s to 5 s, closed before and after
        BreakerLog log = new BreakerLog();
        log.observe("redis", "CLOSED", 0);
        log.observe("redis", "OPEN", S);
        log.observe("redis", "CLOSED", 5 * S);

        // When the timeline runs from 2 s to 4 s
        // Then only the open stretch is in it, from 0 s to 2 s of the timeline
        assertThat(log.intervals("redis", 2 * S, 4 * S)).containsExactly(new BreakerLog.Interval("OPEN", 0, 2));
    }

    @Test
    void shouldAssumeNothingBeforeTheFirstObservationNorForADependencyNeverObserved() {
        // Given the first poll answered at 1 s
        BreakerLog log = new BreakerLog();
        log.observe("database", "OPEN", S);

        // Then the band starts at 1 s, and there is none for redis
        assertThat(log.intervals("database", 0, 2 * S)).containsExactly(new BreakerLog.Interval("OPEN", 1, 2));
        assertThat(log.intervals("redis", 0, 2 * S)).isEmpty();
        assertThat(log.dependencies()).containsExactly("database");
    }

    @Test
    void shouldKeepEachDependencyApart() {
        // Given two dependencies observed in one poll
        BreakerLog log = new BreakerLog();
        log.observe("database", "OPEN", 0);
        log.observe("redis", "CLOSED", 0);

        // Then each has its own band, in the order first seen
        assertThat(log.dependencies()).containsExactly("database", "redis");
        assertThat(log.intervals("database", 0, S)).containsExactly(new BreakerLog.Interval("OPEN", 0, 1));
        assertThat(log.intervals("redis", 0, S)).containsExactly(new BreakerLog.Interval("CLOSED", 0, 1));
    }
}
