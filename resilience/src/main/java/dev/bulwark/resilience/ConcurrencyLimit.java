package dev.bulwark.resilience;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * An adaptive cap on the calls in flight to one dependency, so that a slow dependency queues a bounded amount
 * of work instead of every request thread: work over the limit waits at most a short {@code wait} for a permit
 * and is then refused (the caller answers "over capacity, retry after 1 s"). The limit is Netflix's Gradient2:
 * it grows while latency stays at its long-run level and shrinks when latency rises, between {@code min} and
 * {@code max}.
 *
 * <p>For a database, {@link #forPool(PoolStats, int, Duration)} keeps the limit between twice the pool size and
 * four times it, starting at four times it. A slower database must not leave connections idle, so even at the
 * lowest limit as many calls wait for a connection as hold one (goodput stays near pool / latency). The
 * ceiling keeps the wait short: at four times the pool, three calls wait per connection, 600 ms at 200 ms a
 * statement, under the pool's 1 s wait. Gradient2 takes a latency that lasts for the new normal and grows
 * back to its ceiling; at eight times the pool the waits then passed 1 s and ended in pool timeouts.
 *
 * <p>The limit bounds a queue, so a call over it is still admitted while the pool has a connection free and
 * nobody waits for one: it would queue behind nothing. And a call over it waits up to {@code wait} for a permit
 * before it is refused: on a busy machine a scheduling stall lets a burst of requests in at once, which a
 * database that answers in milliseconds drains in a few tens of them, while the limit, shrunk by the same
 * stall's latency, would otherwise refuse it outright. A slow database frees permits slowly, so there the
 * waits end in refusals after {@code wait}: still fast, and the queue stays bounded. Thread-safe.
 */
public final class ConcurrencyLimit {

    private final SimpleLimiter<Void> limiter;
    private final BooleanSupplier spareCapacity;
    private final long waitNanos;
    private final LongAdder rejected = new LongAdder();
    private final LongAdder admittedSpare = new LongAdder();
    // Callers over the limit wait on `released`; a permit's release signals it only while someone waits.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final AtomicInteger waiting = new AtomicInteger();
    /** The permit of a call admitted over the limit: the limiter neither counts nor times it. */
    private final Limiter.Listener uncounted = signalling(new Limiter.Listener() {
        @Override
        public void onSuccess() {
        }

        @Override
        public void onIgnore() {
        }

        @Override
        public void onDropped() {
        }
    });

    /**
     * A limit between {@code min} and {@code max}, starting at {@code initial}, that refuses a call over it at
     * once. It shrinks only once recent latency is more than twice its long-run level: below that, a busy
     * machine's noise would refuse load it can serve.
     */
    public ConcurrencyLimit(int min, int initial, int max) {
        this(min, initial, max, () -> false, Duration.ZERO);
    }

    /**
     * A limit between {@code min} and {@code max}, starting at {@code initial}, that admits a call over it
     * while {@code spareCapacity} says the call would not wait (for a pool: a connection free, nobody waiting),
     * and otherwise lets it wait up to {@code wait} for a permit before refusing it.
     */
    public ConcurrencyLimit(int min, int initial, int max, BooleanSupplier spareCapacity, Duration wait) {
        if (min < 1 || initial < min || max < initial) {
            throw new IllegalArgumentException("a concurrency limit needs 1 <= min <= initial <= max, got min " + min
                    + ", initial " + initial + ", max " + max);
        }
        if (wait.isNegative()) {
            throw new IllegalArgumentException("a concurrency limit's wait must be 0 or more, got " + wait);
        }
        this.limiter = SimpleLimiter.newBuilder()
                .limit(Gradient2Limit.newBuilder().minLimit(min).initialLimit(initial).maxConcurrency(max)
                        .rttTolerance(2.0).build())
                .build();
        this.spareCapacity = spareCapacity;
        this.waitNanos = wait.toNanos();
    }

    /**
     * The limit for work that holds one of {@code pool}'s connections: 2 × to 4 × its size, from 4 ×; over it,
     * a call is admitted while a connection is free and nobody waits for one, and otherwise waits up to
     * {@code wait} for a permit.
     */
    public static ConcurrencyLimit forPool(PoolStats pool, int poolSize, Duration wait) {
        return new ConcurrencyLimit(2 * poolSize, 4 * poolSize, 4 * poolSize, () -> {
            PoolSnapshot now = pool.snapshot();
            return now.waiting() == 0 && now.active() < poolSize;
        }, wait);
    }

    /**
     * A permit for one call; over the limit, an uncounted one when there is spare capacity, else one that frees
     * up within the wait; else empty (and counted as rejected).
     */
    Optional<Limiter.Listener> tryAcquire() {
        Optional<Limiter.Listener> permit = admit();
        if (permit.isEmpty() && waitNanos > 0) {
            permit = awaitAdmission();
        }
        if (permit.isEmpty()) {
            rejected.increment();
        }
        return permit;
    }

    private Optional<Limiter.Listener> admit() {
        Optional<Limiter.Listener> permit = limiter.acquire(null);
        if (permit.isPresent()) {
            return Optional.of(signalling(permit.get()));
        }
        if (spareCapacity.getAsBoolean()) {
            admittedSpare.increment();
            return Optional.of(uncounted);
        }
        return Optional.empty();
    }

    // Each attempt runs under the lock that a release takes to signal, so a release between a failed attempt and
    // the wait that follows it is never missed.
    private Optional<Limiter.Listener> awaitAdmission() {
        long deadline = System.nanoTime() + waitNanos;
        waiting.incrementAndGet();
        lock.lock();
        try {
            while (true) {
                Optional<Limiter.Listener> permit = admit();
                long remaining = deadline - System.nanoTime();
                if (permit.isPresent() || remaining <= 0) {
                    return permit;
                }
                released.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
            waiting.decrementAndGet();
        }
    }

    private Limiter.Listener signalling(Limiter.Listener permit) {
        return new Limiter.Listener() {
            @Override
            public void onSuccess() {
                permit.onSuccess();
                signalRelease();
            }

            @Override
            public void onIgnore() {
                permit.onIgnore();
                signalRelease();
            }

            @Override
            public void onDropped() {
                permit.onDropped();
                signalRelease();
            }
        };
    }

    private void signalRelease() {
        if (waiting.get() > 0) {
            lock.lock();
            try {
                released.signalAll();
            } finally {
                lock.unlock();
            }
        }
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
