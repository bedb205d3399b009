package dev.bulwark.resilience;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * An adaptive cap on the calls in flight to one dependency, so that a slow dependency queues a bounded amount
 * of work instead of every request thread: work over the limit is refused at once (the caller answers "over
 * capacity, retry after 1 s") and never waits. The limit is Netflix's Gradient2: it grows while latency stays
 * at its long-run level and shrinks when latency rises, between {@code min} and {@code max}.
 *
 * <p>For a database, {@link #forPool(int)} keeps the limit between twice the pool size and eight times it,
 * starting at four times it. A
 * slower database must not leave connections idle, so even at the lowest limit as many calls wait for a
 * connection as hold one (goodput stays near pool / latency), while the wait stays short: one statement's
 * time at most, well below the pool's 1 s wait and the deadline. Thread-safe.
 */
public final class ConcurrencyLimit {

    private final SimpleLimiter<Void> limiter;
    private final LongAdder rejected = new LongAdder();

    /**
     * A limit between {@code min} and {@code max}, starting at {@code initial}. It shrinks only once recent
     * latency is more than twice its long-run level: below that, a busy machine's noise would refuse load it
     * can serve.
     */
    public ConcurrencyLimit(int min, int initial, int max) {
        if (min < 1 || initial < min || max < initial) {
            throw new IllegalArgumentException("a concurrency limit needs 1 <= min <= initial <= max, got min " + min
                    + ", initial " + initial + ", max " + max);
        }
        this.limiter = SimpleLimiter.newBuilder()
                .limit(Gradient2Limit.newBuilder().minLimit(min).initialLimit(initial).maxConcurrency(max)
                        .rttTolerance(2.0).build())
                .build();
    }

    /** The limit for work that holds one of {@code poolSize} pooled connections: 2 × to 8 × the pool, from 4 ×. */
    public static ConcurrencyLimit forPool(int poolSize) {
        return new ConcurrencyLimit(2 * poolSize, 4 * poolSize, 8 * poolSize);
    }

    /** A permit for one call, or empty (and counted as rejected) when the limit is reached. */
    Optional<Limiter.Listener> tryAcquire() {
        Optional<Limiter.Listener> permit = limiter.acquire(null);
        if (permit.isEmpty()) {
            rejected.increment();
        }
        return permit;
    }

    /** The current limit. */
    public int limit() {
        return limiter.getLimit();
    }

    /** Calls holding a permit now. */
    public int inflight() {
        return limiter.getInflight();
    }

    /** Calls refused since start-up. */
    public long rejected() {
        return rejected.sum();
    }
}
