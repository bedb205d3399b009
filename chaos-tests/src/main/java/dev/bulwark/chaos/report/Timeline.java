package dev.bulwark.chaos.report;

import dev.bulwark.chaos.LoadResult;
import dev.bulwark.chaos.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario against time, ready to draw: its requests in buckets of equal width by when they were sent
 * (counts by outcome, p50 and p99 latency), the fault's window and each breaker's states, all in seconds from
 * the scenario's start. The bucket width is the smallest of {@value #BUCKET_CHOICES} ms that keeps the
 * timeline to at most {@value #MAX_BUCKETS} buckets (500 ms beyond that). Immutable.
 *
 * @param scenario        the scenario's name
 * @param bucketMillis    the width of each bucket
 * @param durationSeconds from the scenario's start to its end
 * @param buckets         every bucket from the start, empty ones included
 * @param fault           when the fault was in place; null when the scenario did not say
 * @param breakers        each dependency's breaker states, in the order first observed
 */
public record Timeline(String scenario, long bucketMillis, double durationSeconds, List<Bucket> buckets,
                       Window fault, Map<String, List<BreakerLog.Interval>> breakers) {

    static final String BUCKET_CHOICES = "100, 200, 250, 500";
    static final int MAX_BUCKETS = 300;
    private static final long[] BUCKET_MILLIS = {100, 200, 250, 500};

    public Timeline {
        buckets = List.copyOf(buckets);
        breakers = Collections.unmodifiableMap(new LinkedHashMap<>(breakers));
    }

    /**
     * The requests sent in one bucket and what came of them. Served: a 2xx, or a 404 for an item that does not
     * exist ({@link Sample#served()}); unavailable: a 503; unanswered: no response at all (timeout, reset);
     * other errors: any other status. Latencies are over every request of the bucket, answered or not, in ms;
     * NaN when the bucket is empty.
     *
     * @param startSeconds from the scenario's start
     * @param widthSeconds the bucket's width
     */
    public record Bucket(double startSeconds, double widthSeconds, int served, int unavailable, int otherErrors,
                         int unanswered, double p50Millis, double p99Millis) {

        public int requests() {
            return served + unavailable + otherErrors + unanswered;
        }

        /** {@code count} requests of this bucket as requests a second. */
        public double perSecond(int count) {
            return count / widthSeconds;
        }
    }

    /** When a fault was in place, in seconds from the scenario's start. */
    public record Window(double startSeconds, double endSeconds) {
    }

    /**
     * The timeline of {@code samples} from {@code originNanos} to {@code endNanos} ({@link System#nanoTime()}
     * values). The fault window runs from {@code faultStartNanos} to {@code faultEndNanos} (the end of the
     * timeline when that is null); there is none when {@code faultStartNanos} is null. Samples sent outside the
     * timeline are left out.
     */
    public static Timeline of(String scenario, List<Sample> samples, long originNanos, long endNanos,
                              Long faultStartNanos, Long faultEndNanos, BreakerLog breakerLog) {
        if (endNanos <= originNanos) {
            throw new IllegalArgumentException("a timeline must end after it starts");
        }
        double duration = seconds(endNanos - originNanos);
        long bucketMillis = bucketMillis(duration);
        long bucketNanos = bucketMillis * 1_000_000;
        int count = (int) ((endNanos - originNanos + bucketNanos - 1) / bucketNanos);
        List<List<Sample>> byBucket = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byBucket.add(new ArrayList<>());
        }
        for (Sample sample : samples) {
            long offset = sample.startNanos() - originNanos;
            if (offset >= 0 && sample.startNanos() < endNanos) {
                byBucket.get((int) (offset / bucketNanos)).add(sample);
            }
        }
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            buckets.add(bucket(i * bucketMillis / 1000d, bucketMillis / 1000d, byBucket.get(i)));
        }
        Window fault = faultStartNanos == null ? null : new Window(seconds(faultStartNanos - originNanos),
                seconds((faultEndNanos == null ? endNanos : faultEndNanos) - originNanos));
        Map<String, List<BreakerLog.Interval>> breakers = new LinkedHashMap<>();
        for (String dependency : breakerLog.dependencies()) {
            breakers.put(dependency, breakerLog.intervals(dependency, originNanos, endNanos));
        }
        return new Timeline(scenario, bucketMillis, duration, buckets, fault, breakers);
    }

    /** The bucket width for a timeline of {@code durationSeconds}. */
    static long bucketMillis(double durationSeconds) {
        for (long millis : BUCKET_MILLIS) {
            if (durationSeconds * 1000 / millis <= MAX_BUCKETS) {
                return millis;
            }
        }
        return BUCKET_MILLIS[BUCKET_MILLIS.length - 1];
    }

    private static Bucket bucket(double startSeconds, double widthSeconds, List<Sample> samples) {
        int served = 0;
        int unavailable = 0;
        int unanswered = 0;
        int other = 0;
        for (Sample sample : samples) {
            if (sample.status() == Sample.NO_RESPONSE) {
                unanswered++;
            } else if (sample.served()) {
                served++;
            } else if (sample.status() == 503) {
                unavailable++;
            } else {
                other++;
            }
        }
        LoadResult result = new LoadResult(samples);
        double p50 = samples.isEmpty() ? Double.NaN : result.percentileMillis(50);
        double p99 = samples.isEmpty() ? Double.NaN : result.percentileMillis(99);
        return new Bucket(startSeconds, widthSeconds, served, unavailable, other, unanswered, p50, p99);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
