package dev.bulwark.resilience;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Runs calls to one named dependency ({@code database}, {@code redis}) through retry and a circuit
 * breaker, built with {@link #builder(String)}.
 *
 * <p>A call is retried only on a {@linkplain TransientFailures transient} failure, with the
 * {@link Backoff} schedule, at most {@code maxRetries} times, never past the per-call deadline, and
 * only while the {@link RetryBudget} has tokens. The breaker wraps the whole retried call, so it counts
 * calls that failed after their retries: after {@code failureThreshold} consecutive ones it opens and
 * every call fails at once with {@link DependencyUnavailableException} until {@code resetDelay} has
 * passed; then one probe goes through and its success closes the breaker. Failures that are not
 * transient (a constraint violation, say) pass through unchanged and never trip the breaker.
 *
 * <p>Thread-safe; one instance per dependency for the life of the process.
 */
public final class Resilient {

    private final String name;
    private final int maxRetries;
    private final int failureThreshold;
    private final Duration deadline;
    private final RetryBudget budget;
    private final CircuitBreaker<Object> breaker;
    private final boolean breakerEnabled;
    private final ResilienceStats stats;
    private final FailsafeExecutor<Object> single;
    private final FailsafeExecutor<Object> idempotentUnit;

    private Resilient(Builder builder) {
        this.name = builder.name;
        this.maxRetries = builder.maxRetries;
        this.failureThreshold = builder.failureThreshold;
        this.deadline = builder.deadline;
        this.budget = builder.budget;
        this.breakerEnabled = builder.breakerEnabled;
        this.stats = new ResilienceStats();
        this.breaker = CircuitBreaker.builder()
                .handleIf(TransientFailures::isTransient)
                .withFailureThreshold(builder.failureThreshold)
                // HALF_OPEN admits as many calls as this threshold, and a threshold alone would admit
                // failureThreshold probes and need that many failures to reopen: one probe decides.
                .withSuccessThreshold(1)
                .withDelay(builder.resetDelay)
                .onOpen(e -> stats.recordTransition("OPEN"))
                .onHalfOpen(e -> stats.recordTransition("HALF_OPEN"))
                .onClose(e -> stats.recordTransition("CLOSED"))
                .build();
        this.single = breakerEnabled
                ? Failsafe.with(breaker, retryPolicy(builder.backoff, TransientFailures::isTransient, false))
                : Failsafe.with(retryPolicy(builder.backoff, TransientFailures::isTransient, false));
        // A whole unit runs outside the breaker: its connection is acquired through call(), which the breaker
        // already guards, and an exhausted inner call must count neither as a failure twice nor as a success.
        // Any transient failure that reaches this level struck a connection already handed out, typically a
        // pooled connection the server has since closed: the first retry goes at once, on a fresh connection.
        this.idempotentUnit = Failsafe.with(retryPolicy(builder.backoff,
                f -> TransientFailures.isTransient(f) || TransientFailures.isSerializationFailure(f), true));
    }

    /** Starts building the policies for the dependency called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    private RetryPolicy<Object> retryPolicy(Backoff backoff, Predicate<Throwable> retriable, boolean firstRetryAtOnce) {
        return RetryPolicy.builder()
                .handleIf((result, failure) -> failure != null && !(failure instanceof BudgetSpent)
                        && retriable.test(failure))
                .withMaxRetries(maxRetries)
                .withMaxDuration(deadline)
                .withDelayFn(ctx -> firstRetryAtOnce && ctx.getAttemptCount() == 1 ? Duration.ZERO
                        : backoff.delay(ctx.getAttemptCount(), ThreadLocalRandom.current()::nextDouble))
                .onRetry(e -> stats.recordRetry())
                .onRetriesExceeded(e -> stats.recordRetriesExhausted())
                .build();
    }

    /** The dependency's name. */
    public String name() {
        return name;
    }

    /**
     * Runs one call (acquiring a connection, one Redis command) with retry and the breaker.
     *
     * @throws DependencyUnavailableException if the breaker is open or a transient failure outlasted the retries
     * @throws Exception                      whatever non-transient failure the call threw, unchanged
     */
    public <T> T call(CheckedSupplier<T> call) throws Exception {
        return execute(single, call);
    }

    /**
     * Runs a whole unit of work that is safe to run again from the start (an upsert, a read), retrying
     * it after a transient failure that struck mid-unit, and after serialization failures and deadlocks.
     * The unit must acquire its connections through {@link #call}, which retries acquisition and feeds the
     * breaker. The first retry is immediate (a dead pooled connection is not an outage); later ones back
     * off. Never use it for a unit that must not run twice.
     */
    public <T> T callIdempotent(CheckedSupplier<T> unit) throws Exception {
        return execute(idempotentUnit, unit);
    }

    @SuppressWarnings("unchecked")
    private <T> T execute(FailsafeExecutor<Object> executor, CheckedSupplier<T> call) throws Exception {
        budget.recordCall();
        try {
            return (T) executor.get(ctx -> {
                try {
                    return call.get();
                } catch (Throwable failure) {
                    // Spend a token only when a retry would otherwise follow; an empty budget fails fast.
                    if (ctx.getAttemptCount() < maxRetries && TransientFailures.isTransient(failure)
                            && !budget.tryAcquireRetry()) {
                        stats.recordBudgetRejection();
                        throw new BudgetSpent(failure);
                    }
                    throw failure;
                }
            });
        } catch (CircuitBreakerOpenException open) {
            stats.recordRejection();
            throw new DependencyUnavailableException(name, "circuit breaker open", retryAfter(), open);
        } catch (FailsafeException wrapped) {
            // Failsafe wraps checked exceptions only.
            throw unwrap(wrapped.getCause() == null ? wrapped : wrapped.getCause());
        } catch (RuntimeException unchecked) {
            throw unwrap(unchecked);
        }
    }

    private Exception unwrap(Throwable failure) throws Exception {
        Throwable cause = failure instanceof BudgetSpent spent ? spent.getCause() : failure;
        if (TransientFailures.isTransient(cause)) {
            String reason = failure instanceof BudgetSpent ? "retry budget spent" : "retries exhausted";
            // Sanitised: this message reaches clients' error bodies and health output.
            DependencyUnavailableException unavailable = new DependencyUnavailableException(
                    name, reason + ": " + Sanitizer.message(cause), retryAfter(), cause);
            stats.recordFailure(unavailable, Instant.now());
            throw unavailable;
        }
        if (cause instanceof Exception e) {
            throw e;
        }
        throw (Error) cause;
    }

    /** Time until the breaker lets a probe through, at least one second (a Retry-After value). */
    public Duration retryAfter() {
        Duration remaining = untilProbe();
        return remaining.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : remaining;
    }

    /**
     * Time until the open breaker lets a probe through: zero unless it is open, and zero once its reset
     * delay has passed (it stays OPEN until the next call, which becomes the probe).
     */
    public Duration untilProbe() {
        return breakerEnabled && breaker.isOpen() ? breaker.getRemainingDelay() : Duration.ZERO;
    }

    /** The breaker's state: CLOSED, OPEN or HALF_OPEN (always CLOSED when the breaker is disabled). */
    public CircuitBreaker.State state() {
        return breakerEnabled ? breaker.getState() : CircuitBreaker.State.CLOSED;
    }

    /** Consecutive failed calls the breaker has counted since it last closed. */
    public long consecutiveFailures() {
        return breaker.getFailureCount();
    }

    /** Retry tokens left. */
    public int budgetRemaining() {
        return budget.remaining();
    }

    /** Counters of what the policies did. */
    public ResilienceStats stats() {
        return stats;
    }

    /** Forces the breaker open (operators, tests); calls fail fast until {@link #closeBreaker()} or the reset delay. */
    public void openBreaker() {
        breaker.open();
    }

    /** Forces the breaker closed; an open or half-open breaker starts counting failures afresh. */
    public void closeBreaker() {
        breaker.close();
    }

    /** Closes the breaker and forgets the failures it has counted, even if it was already closed. */
    public void resetBreaker() {
        breaker.close();
        // close() keeps the count of a breaker that is already closed; the count covers the last
        // failureThreshold calls, so as many successes push every old failure out of it.
        for (int i = 0; i < failureThreshold; i++) {
            breaker.recordSuccess();
        }
    }

    /** False if built {@linkplain Builder#withoutCircuitBreaker() without a breaker}: opening it changes nothing. */
    public boolean hasCircuitBreaker() {
        return breakerEnabled;
    }

    /** Marker for a transient failure that was not retried because the budget was empty. */
    private static final class BudgetSpent extends RuntimeException {
        BudgetSpent(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /**
     * Builds a {@link Resilient}. Defaults: 3 retries, backoff 100 ms doubling to 2 s with 0.25 jitter,
     * deadline 3 s, breaker after 5 consecutive failures for 60 s, budget 20% + 10/s. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private int maxRetries = 3;
        private Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 0.25);
        private Duration deadline = Duration.ofSeconds(3);
        private boolean breakerEnabled = true;
        private int failureThreshold = 5;
        private Duration resetDelay = Duration.ofSeconds(60);
        private RetryBudget budget = new RetryBudget(0.2, 10, System::nanoTime);

        private Builder(String name) {
            this.name = name;
        }

        public Builder withMaxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("max retries must be 0 or more, got " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder withBackoff(Backoff backoff) {
            this.backoff = backoff;
            return this;
        }

        /** Bounds each call, retries included; a positive duration. */
        public Builder withDeadline(Duration deadline) {
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("retry deadline must be positive, got " + deadline.toMillis() + " ms");
            }
            this.deadline = deadline;
            return this;
        }

        /** Opens after {@code failureThreshold} consecutive failed calls and stays open for {@code resetDelay}. */
        public Builder withCircuitBreaker(int failureThreshold, Duration resetDelay) {
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
        public Builder withoutCircuitBreaker() {
            this.breakerEnabled = false;
            return this;
        }

        public Builder withRetryBudget(RetryBudget budget) {
            this.budget = budget;
            return this;
        }

        public Resilient build() {
            return new Resilient(this);
        }
    }
}
