package dev.bulwark.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bulwark.chaos.Sample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {

    private static final long ORIGIN = 1_000_000_000_000L;
    private static final long MS = 1_000_000;

    @Test
    void shouldCountEachOutcomeInTheBucketOfWhenTheRequestWasSent() {
        // Given requests sent in the first and third 100 ms of a 1 s scenario
        List<Sample> samples = List.of(
                sample("GET", 200, 10, 5), sample("PUT", 201, 20, 5), sample("GET", 404, 30, 5),
                sample("PUT", 404, 40, 5), sample("GET", 503, 50, 5), sample("GET", 500, 60, 5),
                sample("PUT", Sample.NO_RESPONSE, 70, 900),
                sample("GET", 503, 210, 5), sample("GET", 503, 299, 5));

        // When they are bucketed
        Timeline timeline = Timeline.of("s", samples, ORIGIN, ORIGIN + 1000 * MS, null, null, new BreakerLog());

        // Then each counts once, by its outcome, in the bucket it was sent in (the slow one too)
        assertThat(timeline.bucketMillis()).isEqualTo(100);
        assertThat(timeline.buckets()).hasSize(10);
        Timeline.Bucket first = timeline.buckets().get(0);
        assertThat(first.served()).as("200, 201 and a GET's 404").isEqualTo(3);
        assertThat(first.unavailable()).isEqualTo(1);
        assertThat(first.otherErrors()).as("500 and a PUT's 404").isEqualTo(2);
        assertThat(first.unanswered()).isEqualTo(1);
        assertThat(first.requests()).isEqualTo(7);
        assertThat(timeline.buckets().get(1).requests()).isZero();
        assertThat(timeline.buckets().get(2).unavailable()).isEqualTo(2);
        assertThat(timeline.buckets().get(2).startSeconds()).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void shouldGiveRatesAsRequestsASecondOfTheBucketsWidth() {
        // Given 5 served requests in one 100 ms bucket
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            samples.add(sample("GET", 200, 10 + i, 1));
        }

        // When bucketed
        Timeline.Bucket bucket = Timeline.of("s", samples, ORIGIN, ORIGIN + 1000 * MS, null, null, new BreakerLog())
                .buckets().get(0);

        // Then that is 50 a second
        assertThat(bucket.perSecond(bucket.served())).isCloseTo(50, within(1e-9));
        assertThat(bucket.perSecond(bucket.unavailable())).isZero();
    }

    @Test
    void shouldGiveP50AndP99PerBucketAndNoneForAnEmptyBucket() {
        // Given 100 requests taking 1 to 100 ms in the first bucket and none in the second
        List<Sample> samples = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            samples.add(sample("GET", 200, 50, i));
        }

        // When bucketed
        Timeline timeline = Timeline.of("s", samples, ORIGIN, ORIGIN + 1000 * MS, null, null, new BreakerLog());

        // Then the first has p50 50 ms and p99 99 ms (nearest rank), the second has neither
        assertThat(timeline.buckets().get(0).p50Millis()).isCloseTo(50, within(1e-9));
        assertThat(timeline.buckets().get(0).p99Millis()).isCloseTo(99, within(1e-9));
        assertThat(timeline.buckets().get(1).p50Millis()).isNaN();
        assertThat(timeline.buckets().get(1).p99Millis()).isNaN();
    }

    @Test
    void shouldPickTheSmallestBucketThatKeepsTheTimelineTo300Buckets() {
        assertThat(Timeline.bucketMillis(10)).isEqualTo(100);
        assertThat(Timeline.bucketMillis(30)).isEqualTo(100);
        assertThat(Timeline.bucketMillis(50)).isEqualTo(200);
        assertThat(Timeline.bucketMillis(70)).isEqualTo(250);
        assertThat(Timeline.bucketMillis(120)).isEqualTo(500);
        assertThat(Timeline.bucketMillis(1000)).isEqualTo(500);
    }

    @Test
    void shouldCoverTheWholeScenarioWithBucketsAndLeaveOutRequestsSentAfterIt() {
        // Given a 45.05 s scenario (200 ms buckets) and a request sent after its end
        long end = ORIGIN + 45_050 * MS;
        List<Sample> samples = List.of(sample("GET", 200, 45_040, 1), sample("GET", 200, 45_060, 1));

        // When bucketed
        Timeline timeline = Timeline.of("s", samples, ORIGIN, end, null, null, new BreakerLog());

        // Then the last bucket holds the request sent before the end, and only that one
        assertThat(timeline.bucketMillis()).isEqualTo(200);
        assertThat(timeline.buckets()).hasSize(226);
        assertThat(timeline.buckets().get(225).served()).isEqualTo(1);
        assertThat(timeline.buckets().stream().mapToInt(Timeline.Bucket::requests).sum()).isEqualTo(1);
        assertThat(timeline.durationSeconds()).isCloseTo(45.05, within(1e-9));
    }

    @Test
    void shouldPlaceTheFaultWindowFromInjectionToRemovalOrToTheEnd() {
        // When a fault was injected at 2 s and removed at 7.5 s of a 10 s scenario
        Timeline removed = Timeline.of("s", List.of(), ORIGIN, ORIGIN + 10_000 * MS, ORIGIN + 2000 * MS,
                ORIGIN + 7500 * MS, new BreakerLog());
        // Or never removed, or never marked
        Timeline notRemoved = Timeline.of("s", List.of(), ORIGIN, ORIGIN + 10_000 * MS, ORIGIN + 2000 * MS, null,
                new BreakerLog());
        Timeline unmarked = Timeline.of("s", List.of(), ORIGIN, ORIGIN + 10_000 * MS, null, null, new BreakerLog());

        // Then the window is in seconds from the start, to the end when not removed, absent when unmarked
        assertThat(removed.fault()).isEqualTo(new Timeline.Window(2.0, 7.5));
        assertThat(notRemoved.fault()).isEqualTo(new Timeline.Window(2.0, 10.0));
        assertThat(unmarked.fault()).isNull();
    }

    @Test
    void shouldCarryEachBreakersStatesOverTheTimeline() {
        // Given the database breaker closed, then open from 1 s to 3 s, then closed
        BreakerLog log = new BreakerLog();
        log.observe("database", "CLOSED", ORIGIN);
        log.observe("database", "OPEN", ORIGIN + 1000 * MS);
        log.observe("database", "CLOSED", ORIGIN + 3000 * MS);

        // When the timeline is built
        Timeline timeline = Timeline.of("s", List.of(), ORIGIN, ORIGIN + 4000 * MS, null, null, log);

        // Then it holds those intervals
        assertThat(timeline.breakers()).containsOnlyKeys("database");
        assertThat(timeline.breakers().get("database")).containsExactly(
                new BreakerLog.Interval("CLOSED", 0, 1), new BreakerLog.Interval("OPEN", 1, 3),
                new BreakerLog.Interval("CLOSED", 3, 4));
    }

    /** A request sent {@code sentMillis} after the origin that took {@code latencyMillis}. */
    static Sample sample(String method, int status, long sentMillis, long latencyMillis) {
        return new Sample("fault", method, "id", status, ORIGIN + sentMillis * MS, latencyMillis * MS, "", false, "");
    }
}
