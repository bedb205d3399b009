package dev.bulwark.resilience;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * An adaptive cap on the calls in flight to one dependency, so that a slow dependency queues a bounded amount
 * of work instead of every request thread: work over the limit is refused at once (the caller answers "over
 * capacity, retry after 1 s") and never waits. The limit is Netflix's Gradient2: it grows while latency stays
 * at its long-run level and shrinks when latency rises, between {@code min} and {@code max}.
 *
 * <p>For a database, {@link #forPool(PoolStats, int)} keeps the limit between twice the pool size and four
 * times it, starting at four times it. A slower database must not leave connections idle, so even at the
 * lowest limit as many calls wait for a connection as hold one (goodput stays near pool / latency). The
 * ceiling keeps the wait short: at four times the pool, three calls wait per connection, 600 ms at 200 ms a
 * statement, under the pool's 1 s wait. Gradient2 takes a latency that lasts for the new normal and grows
 * back to its ceiling; at eight times the pool the waits then passed 1 s and ended in pool timeouts.
 *
 * <p>The limit bounds a queue, so a call over it is still admitted while the pool has a connection free and
 * nobody waits for one: it would queue behind nothing. On a busy machine a scheduling stall lets a burst of
 * requests in at once while the connections sit idle; the limit, shrunk by the same stall's latency, would
 * otherwise refuse load the database serves in a millisecond. A slow database keeps every connection busy
 * and callers waiting, and there the limit refuses at once. Thread-safe.
 */
public final class ConcurrencyLimit {

    /** The permit of a call admitted over the limit: the limiter neither counts nor times it. */
    private static final Limiter.Listener UNCOUNTED = new Limiter.Listener() {
        @Override
        public void onSuccess() {
        }

        @Override
        public void onIgnore() {
        }

        @Override
        public void onDropped() {
        }
    };

    private final SimpleLimiter<Void> limiter;
    private final BooleanSupplier spareCapacity;
    private final LongAdder rejected = new LongAdder();
    private final LongAdder admittedSpare = new LongAdder();

    /**
     * A limit between {@code min} and {@code max}, starting at {@code initial}. It shrinks only once recent
     * latency is more than twice its long-run level: below that, a busy machine's noise would refuse load it
     * can serve.
     */
    public ConcurrencyLimit(int min, int initial, int max) {
        this(min, initial, max, () -> false);
    }

    /**
     * A limit between {@code min} and {@code max}, starting at {@code initial}, that admits a call over it
     * while {@code spareCapacity} says the call would not wait (for a pool: a connection free, nobody waiting).
     */
    public ConcurrencyLimit(int min, int initial, int max, BooleanSupplier spareCapacity) {
        if (min < 1 || initial < min || max < initial) {
            throw new IllegalArgumentException("a concurrency limit needs 1 <= min <= initial <= max, got min " + min
                    + ", initial " + initial + ", max " + max);
        }
        this.limiter = SimpleLimiter.newBuilder()
                .limit(Gradient2Limit.newBuilder().minLimit(min).initialLimit(initial).maxConcurrency(max)
                        .rttTolerance(2.0).build())
                .build();
        this.spareCapacity = spareCapacity;
    }

    /**
     * The limit for work that holds one of {@code pool}'s connections: 2 × to 4 × its size, from 4 ×; over it,
     * a call is admitted while a connection is free and nobody waits for one.
     */
    public static ConcurrencyLimit forPool(PoolStats pool, int poolSize) {
        return new ConcurrencyLimit(2 * poolSize, 4 * poolSize, 4 * poolSize, () -> {
            PoolSnapshot now = pool.snapshot();
            return now.waiting() == 0 && now.active() < poolSize;
        });
    }

    /**
     * A permit for one call; over the limit, an uncounted one when there is spare capacity, else empty (and
     * counted as rejected).
     */
    Optional<Limiter.Listener> tryAcquire() {
        Optional<Limiter.Listener> permit = limiter.acquire(null);
        if (permit.isPresent()) {
            return permit;
        }
        if (spareCapacity.getAsBoolean()) {
            admittedSpare.increment();
            return Optional.of(UNCOUNTED);
        }
        rejected.increment();
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

    /** Calls admitted over the limit since start-up, because the pool had a connection free. */
    public long admittedSpare() {
        return admittedSpare.sum();
    }
}
