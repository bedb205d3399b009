package dev.bulwark.resilience;

import java.util.function.LongSupplier;

/**
 * A token bucket that caps retries for one dependency, so a sustained outage cannot turn into a retry
 * storm: retries may be at most {@code ratio} of calls plus {@code perSecond} per second. Every call
 * deposits {@code ratio} of a token, time deposits {@code perSecond} tokens a second, and each retry
 * takes one whole token. The bucket holds at most {@code max(1, perSecond)} tokens and starts full.
 * When it is empty a failure is returned at once instead of retried.
 *
 * <p>Defaults: ratio 0.2, 10 per second. Thread-safe.
 */
public final class RetryBudget {

    private static final double NANOS_PER_SECOND = 1_000_000_000d;

    private final double ratio;
    private final double perSecond;
    private final double capacity;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    /**
     * @param ratio     the share of calls that may be retried, 0 to 1
     * @param perSecond retries allowed each second regardless of traffic, 0 or more
     * @param nanoTime  a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
     */
    public RetryBudget(double ratio, double perSecond, LongSupplier nanoTime) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("retry budget ratio must be between 0 and 1, got " + ratio);
        }
        if (!(perSecond >= 0)) {
            throw new IllegalArgumentException("retry budget per second must be 0 or more, got " + perSecond);
        }
        this.ratio = ratio;
        this.perSecond = perSecond;
        this.capacity = Math.max(1, perSecond);
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Counts one call (first attempts only, not retries). */
    public synchronized void recordCall() {
        refill();
        tokens = Math.min(capacity, tokens + ratio);
    }

    /** Takes a token for one retry; false (and nothing taken) when the budget is spent. */
    public synchronized boolean tryAcquireRetry() {
        refill();
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** Whole retries currently available. */
    public synchronized int remaining() {
        refill();
        return (int) Math.floor(tokens);
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) / NANOS_PER_SECOND * perSecond);
        refilledAt = now;
    }
}
