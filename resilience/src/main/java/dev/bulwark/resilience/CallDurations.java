package dev.bulwark.resilience;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram of how long top-level calls to one dependency took, retries and waits included, in fixed
 * buckets from 5 ms to 10 s (Prometheus' default bounds) plus one for everything longer: what a p99 panel
 * reads. Counts only grow. Thread-safe.
 */
public final class CallDurations {

    private static final double[] UPPER_BOUNDS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final LongAdder[] buckets = new LongAdder[UPPER_BOUNDS_SECONDS.length + 1];
    private final DoubleAdder sumSeconds = new DoubleAdder();

    CallDurations() {
        Arrays.setAll(buckets, i -> new LongAdder());
    }

    void record(long nanos) {
        double seconds = nanos / (double) TimeUnit.SECONDS.toNanos(1);
        int bucket = 0;
        while (bucket < UPPER_BOUNDS_SECONDS.length && seconds > UPPER_BOUNDS_SECONDS[bucket]) {
            bucket++;
        }
        buckets[bucket].increment();
        sumSeconds.add(Math.max(0, seconds));
    }

    /** The buckets' upper bounds in seconds, ascending, without the last, unbounded one. */
    public double[] upperBoundsSeconds() {
        return UPPER_BOUNDS_SECONDS.clone();
    }

    /**
     * Calls per bucket, not cumulative: one more entry than {@link #upperBoundsSeconds()}, the last for calls
     * longer than the largest bound.
     */
    public long[] counts() {
        return Arrays.stream(buckets).mapToLong(LongAdder::sum).toArray();
    }

    /** The total time of every call recorded, in seconds. */
    public double sumSeconds() {
        return sumSeconds.sum();
    }
}
