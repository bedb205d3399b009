package dev.bulwark.gatling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.gatling.CapacityReport.Level;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityReportTest {

    private static final Duration LENGTH = Duration.ofSeconds(5);
    private static final Duration P99 = Duration.ofMillis(250);

    /** A level of {@code requests} requests in 5 s with the given 99th percentile and failures. */
    private static Level level(int number, double rate, long requests, long p99, long failed) {
        return new Level(number, rate, LENGTH, new PhaseRecorder.Summary(requests, failed, requests - failed, p99, p99 + 1));
    }

    @Test
    void shouldReportTheHighestLevelThatMetBothBoundsBeforeTwoMissesInARowAsTheKnee() {
        CapacityReport report = new CapacityReport(List.of(
                level(1, 100, 700, 12, 0),
                level(2, 200, 1400, 300, 0),
                level(3, 443.1, 3100, 180, 0),
                level(4, 500, 3500, 410, 0),
                level(5, 600, 4200, 90, 30),
                level(6, 700, 4900, 90, 0)), 10, P99);

        assertThat(report.knee()).get().extracting(Level::number).isEqualTo(3);
        assertThat(report.next()).get().extracting(Level::number).isEqualTo(4);
        assertThat(report.kneeLine()).isEqualTo(
                "knee: 620 req/s (level 3 of 10: p99 180 ms, errors 0.00%); next level 700 req/s: p99 410 ms, errors 0.00%");
        assertThat(report.properties()).contains("knee=620\n", "kneeRate=443.1\n", "kneeFound=true\n");
    }

    @Test
    void shouldBePastTheKneeOnlyAfterTwoMissesInARow() {
        Level met = level(1, 100, 700, 12, 0);
        Level missed = level(2, 200, 1400, 300, 0);

        assertThat(CapacityReport.pastTheKnee(List.of(met, missed), P99)).isFalse();
        assertThat(CapacityReport.pastTheKnee(List.of(missed, met), P99)).isFalse();
        assertThat(CapacityReport.pastTheKnee(List.of(missed, missed), P99)).isTrue();
    }

    @Test
    void shouldMissALevelWithMoreThanATenthOfAPercentFailed() {
        CapacityReport report = new CapacityReport(List.of(
                level(1, 100, 1000, 12, 1),
                level(2, 200, 1000, 12, 2)), 2, P99);

        assertThat(report.knee()).get().extracting(Level::number).isEqualTo(1);
        assertThat(report.kneeLine()).endsWith("next level 200 req/s: p99 12 ms, errors 0.20%");
    }

    @Test
    void shouldTakeALevelAfterASingleMissAsTheKnee() {
        CapacityReport report = new CapacityReport(List.of(
                level(1, 50, 350, 407, 0),
                level(2, 65, 455, 20, 0),
                level(3, 84.5, 590, 500, 0)), 14, P99);

        assertThat(report.knee()).get().extracting(Level::number).isEqualTo(2);
        assertThat(report.next()).get().extracting(Level::number).isEqualTo(3);
    }

    @Test
    void shouldSayTheKneeIsHigherWhenEveryLevelMetTheBounds() {
        CapacityReport report = new CapacityReport(List.of(level(1, 100, 700, 12, 0), level(2, 200, 1400, 20, 0)), 2, P99);

        assertThat(report.next()).isEmpty();
        assertThat(report.kneeLine()).isEqualTo(
                "knee: 280 req/s (level 2 of 2: p99 20 ms, errors 0.00%); every level met both bounds, so the knee is higher: raise -DcapacityLevels");
        assertThat(report.properties()).contains("knee=280\n", "kneeFound=false\n");
    }

    @Test
    void shouldFindNoKneeWhenTheFirstLevelsMiss() {
        CapacityReport report = new CapacityReport(List.of(
                level(1, 20, 140, Long.MAX_VALUE, 0),
                level(2, 26, 180, 400, 0)), 14, P99);

        assertThat(report.knee()).isEmpty();
        assertThat(report.kneeLine()).isEqualTo("knee: none, the first levels missed, from 28 req/s: p99 unanswered, errors 0.00%");
        assertThat(report.properties()).contains("knee=0\n", "kneeRate=0.0\n");
    }

    @Test
    void shouldPrintOneLinePerLevel() {
        CapacityReport report = new CapacityReport(List.of(level(1, 20, 140, 9, 0)), 14, P99);

        assertThat(report.levelLines()).containsExactly("level 1 of 14: 20.0 journeys/s, 28 req/s, p99 9 ms, errors 0.00%: met");
    }
}
