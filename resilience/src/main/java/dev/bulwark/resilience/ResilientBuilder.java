package dev.bulwark.resilience;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Builds a {@link Resilient}. Defaults: 3 retries, backoff 100 ms doubling to 2 s with 0.25 jitter,
 * deadline 3 s, breaker after 5 consecutive failures, probed from 100 ms on and at least every 60 s, no
 * probe (then the breaker half-opens after 60 s and lets one call through), budget 20% + 10/s, no
 * concurrency limit, a refusal's Retry-After spread by up to half of it ({@link RetryAfter}). Not thread-safe.
 */
public final class ResilientBuilder {

    final String name;
    int maxRetries = 3;
    Duration delay = Duration.ofMillis(100);
    Duration maxDelay = Duration.ofSeconds(2);
    double jitter = 0.25;
    Duration deadline = Duration.ofSeconds(3);
    boolean breakerEnabled = true;
    int failureThreshold = 5;
    Duration resetDelay = Duration.ofSeconds(60);
    Probe probe;
    Duration probeInterval = Duration.ofMillis(100);
    LongSupplier nanoTime = System::nanoTime;
    RetryBudget budget = new RetryBudget(0.2, 10, System::nanoTime);
    ConcurrencyLimit limit;
    Runnable evictConnections = () -> { };
    RetryAfter retryAfter = RetryAfter.spread(RetryAfter.DEFAULT_SPREAD);

    ResilientBuilder(String name) {
        this.name = name;
    }

    public ResilientBuilder withMaxRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max retries must be 0 or more, got " + maxRetries);
        }
        this.maxRetries = maxRetries;
        return this;
    }

    /**
     * Retries back off from {@code delay}, doubling up to {@code maxDelay}; a {@code maxDelay} not above
     * {@code delay} makes every delay {@code delay}.
     */
    public ResilientBuilder withBackoff(Duration delay, Duration maxDelay) {
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("backoff delay must be positive, got " + delay.toMillis() + " ms");
        }
        this.delay = delay;
        this.maxDelay = maxDelay;
        return this;
    }

    /** Moves each delay by a random amount within {@code ± jitter × delay}; from 0 to 1. */
    public ResilientBuilder withJitter(double jitter) {
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
        }
        this.jitter = jitter;
        return this;
    }

    /** Bounds each call, retries included; a positive duration. */
    public ResilientBuilder withDeadline(Duration deadline) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("retry deadline must be positive, got " + deadline.toMillis() + " ms");
        }
        this.deadline = deadline;
        return this;
    }

    /**
     * Opens after {@code failureThreshold} consecutive failed calls; {@code resetDelay} is the longest the
     * breaker stays open between probes.
     */
    public ResilientBuilder withCircuitBreaker(int failureThreshold, Duration resetDelay) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failure threshold must be at least 1, got " + failureThreshold);
        }
        if (resetDelay.isNegative() || resetDelay.isZero()) {
            throw new IllegalArgumentException("reset delay must be positive, got " + resetDelay.toMillis() + " ms");
        }
        this.breakerEnabled = true;
        this.failureThreshold = failureThreshold;
        this.resetDelay = resetDelay;
        return this;
    }

    /** No breaker: every call is attempted (with its retries), however often the dependency has failed. */
    public ResilientBuilder withoutCircuitBreaker() {
        this.breakerEnabled = false;
        return this;
    }

    /**
     * Probes the dependency with {@code probe} while the breaker is open, the first time after
     * {@code interval}, then as {@link ProbeSchedule} says (capped by the reset delay).
     */
    public ResilientBuilder withProbe(Probe probe, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("probe interval must be positive, got " + interval.toMillis() + " ms");
        }
        this.probe = probe;
        this.probeInterval = interval;
        return this;
    }

    /** The monotonic clock the prober measures the time open with ({@code System::nanoTime} by default). */
    public ResilientBuilder withNanoClock(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        return this;
    }

    public ResilientBuilder withRetryBudget(RetryBudget budget) {
        this.budget = budget;
        return this;
    }

    /** Caps the units ({@link #callIdempotent}, {@link #callOnce}) in flight. */
    public ResilientBuilder withConcurrencyLimit(ConcurrencyLimit limit) {
        this.limit = limit;
        return this;
    }

    /**
     * What drops the pooled connections when they may lead nowhere useful: after the prober saw the
     * dependency come back, and after a read-only refusal.
     */
    public ResilientBuilder onStaleConnections(Runnable evictConnections) {
        this.evictConnections = evictConnections;
        return this;
    }

    /**
     * How a refusal's Retry-After is spread above the wait it reports, so that a fleet's clients do not retry in
     * lockstep ({@link RetryAfter}; {@code RetryAfter.spread(0)} reports the wait alone).
     */
    public ResilientBuilder withRetryAfter(RetryAfter retryAfter) {
        this.retryAfter = retryAfter;
        return this;
    }

    public Resilient build() {
        return new Resilient(this);
    }
}
