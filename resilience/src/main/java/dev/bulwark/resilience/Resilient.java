package dev.bulwark.resilience;

import com.netflix.concurrency.limits.Limiter;
import dev.bulwark.resilience.DependencyUnavailableException.Reason;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Runs calls to one named dependency ({@code database}, {@code redis}) through retry, a circuit breaker with a
 * background prober, and optionally a concurrency limit; built with {@link #builder(String)}.
 *
 * <p><b>Retry.</b> A call is retried only on a {@linkplain TransientFailures transient} failure, with the
 * exponential backoff and jitter of Failsafe (the engine inside), at most {@code maxRetries} times, never past the per-call deadline, and only
 * while the {@link RetryBudget} has tokens. Saturation (a pool timeout, a cancelled statement) is never
 * retried.
 *
 * <p><b>Breaker.</b> It counts calls that failed transiently after their retries; after
 * {@code failureThreshold} consecutive ones it opens and every call fails at once with
 * {@link DependencyUnavailableException}. While it is open, a {@link Prober} checks the dependency with the
 * {@link Probe} on its own thread (never a client's call) at the delays of a {@link ProbeSchedule} capped by
 * the reset time, and the first probe that succeeds closes the breaker, so recovery follows the dependency.
 * Saturation, a lock timeout and a read-only refusal neither count as failures nor as successes.
 *
 * <p><b>Units and the limit.</b> {@link #callIdempotent} and {@link #callOnce} run a whole unit of work
 * (acquiring its connections through {@link #call}) under the concurrency limit, when there is one: a unit
 * over the limit (after its short wait for a permit) is refused with reason {@link Reason#OVERLOADED}.
 *
 * <p>Thread-safe; one instance per dependency for the life of the process. {@link #close()} stops the prober.
 */
public final class Resilient implements AutoCloseable {

    // Failsafe's breaker would half-open after its delay and let a client's call probe; the prober closes it
    // instead, so the delay is only a backstop that no outage reaches.
    private static final Duration NEVER = Duration.ofDays(365);
    private static final Duration OVERLOAD_RETRY_AFTER = Duration.ofSeconds(1);

    private final String name;
    private final int maxRetries;
    private final int failureThreshold;
    private final Duration deadline;
    private final Duration resetDelay;
    private final RetryBudget budget;
    private final CircuitBreaker<Object> breaker;
    private final boolean breakerEnabled;
    private final Prober prober;
    private final ConcurrencyLimit limit;
    private final Runnable evictConnections;
    private final ResilienceStats stats;
    private final FailsafeExecutor<Object> single;
    private final FailsafeExecutor<Object> idempotentUnit;
    private final FailsafeExecutor<Object> once = Failsafe.none();
    // Set while a unit runs on this thread: its acquisitions are part of the unit's one call to the budget.
    private final ThreadLocal<Boolean> inUnit = ThreadLocal.withInitial(() -> false);
    private final TopLevelCalls topLevel;
    private final RetryAfter retryAfterSpread;
    private volatile boolean forcedOpen;

    Resilient(ResilientBuilder builder) {
        this.name = builder.name;
        this.maxRetries = builder.maxRetries;
        this.failureThreshold = builder.failureThreshold;
        this.deadline = builder.deadline;
        this.resetDelay = builder.resetDelay;
        this.budget = builder.budget;
        this.breakerEnabled = builder.breakerEnabled;
        this.limit = builder.limit;
        this.evictConnections = builder.evictConnections;
        this.stats = new ResilienceStats();
        this.topLevel = new TopLevelCalls(stats, builder.nanoTime);
        this.retryAfterSpread = builder.retryAfter;
        this.prober = breakerEnabled && builder.probe != null
                ? new Prober(name, builder.probe, new ProbeSchedule(builder.probeInterval, resetDelay, 0.2),
                        this::recovered, builder.nanoTime)
                : null;
        this.breaker = CircuitBreaker.builder()
                .withFailureThreshold(builder.failureThreshold)
                .withSuccessThreshold(1)
                .withDelay(prober == null ? resetDelay : NEVER)
                .onOpen(e -> opened(e.getPreviousState()))
                .onHalfOpen(e -> stats.recordTransition(stateOf(e.getPreviousState()), CircuitState.HALF_OPEN))
                .onClose(e -> stats.recordTransition(stateOf(e.getPreviousState()), CircuitState.CLOSED))
                .build();
        this.single = Failsafe.with(retryPolicy(builder, TransientFailures::isTransient, false));
        // A whole unit runs outside the breaker: its connection is acquired through call(), which the breaker
        // already guards, and an exhausted inner call must count neither as a failure twice nor as a success.
        // Any transient failure that reaches this level struck a connection already handed out, typically a
        // pooled connection the server has since closed: the first retry goes at once, on a fresh connection.
        // A read-only refusal is retried too: the pool has been purged, and a multi-host URL reconnects to
        // the new primary.
        this.idempotentUnit = Failsafe.with(retryPolicy(builder, f -> TransientFailures.isTransient(f)
                || TransientFailures.isSerializationFailure(f) || TransientFailures.isReadOnly(f), true));
    }

    /** Starts building the policies for the dependency called {@code name}. */
    public static ResilientBuilder builder(String name) {
        return new ResilientBuilder(name);
    }

    // Failsafe's own exponential backoff, jitter and max duration; a negative delay from the function means "use
    // the backoff", so only the unit's first retry is immediate.
    private RetryPolicy<Object> retryPolicy(ResilientBuilder settings, Predicate<Throwable> retriable, boolean firstRetryAtOnce) {
        RetryPolicyBuilder<Object> policy = RetryPolicy.builder()
                .handleIf((result, failure) -> failure != null && !(failure instanceof BudgetSpent)
                        && retriable.test(failure))
                .withMaxRetries(maxRetries)
                .withMaxDuration(deadline)
                .withJitter(settings.jitter)
                .withDelayFn(ctx -> firstRetryAtOnce && ctx.getAttemptCount() == 1 ? Duration.ZERO : Duration.ofNanos(-1))
                .onRetry(e -> {
                    stats.recordRetry();
                    topLevel.retried();
                })
                .onRetriesExceeded(e -> stats.recordRetriesExhausted());
        if (settings.maxDelay.compareTo(settings.delay) > 0) {
            policy.withBackoff(settings.delay, settings.maxDelay);
        } else {
            policy.withDelay(settings.delay);
        }
        return policy.build();
    }

    /** The dependency's name. */
    public String name() {
        return name;
    }

    /**
     * Runs one call (acquiring a connection, one Redis command) with retry and the breaker.
     *
     * @throws DependencyUnavailableException if the breaker is open, a transient failure outlasted the retries,
     *                                        or the dependency is saturated
     * @throws Exception                      whatever other failure the call threw, unchanged
     */
    public <T> T call(ThrowingSupplier<T> call) throws Exception {
        return inUnit.get() ? guarded(call) : topLevel.track(() -> guarded(call));
    }

    private <T> T guarded(ThrowingSupplier<T> call) throws Exception {
        if (breakerEnabled && !breaker.tryAcquirePermit()) {
            stats.recordRejection();
            throw new DependencyUnavailableException(name, Reason.BREAKER_OPEN, "circuit breaker open",
                    retryAfterSpread.after(retryAfter()), null);
        }
        if (!inUnit.get()) {
            budget.recordCall();
        }
        try {
            T result = execute(single, call, Reason.RETRIES_EXHAUSTED);
            recordOutcome(null);
            return result;
        } catch (Exception failure) {
            recordOutcome(failure);
            throw failure;
        }
    }

    // Only a transient failure (after its retries) counts against the dependency. Saturation, a lock timeout
    // and a read-only refusal say nothing about whether it is up, so they count neither way.
    private void recordOutcome(Exception failure) {
        if (!breakerEnabled) {
            return;
        }
        if (failure == null) {
            breaker.recordSuccess();
        } else if (failure instanceof DependencyUnavailableException unavailable) {
            if (unavailable.reason().meansDown()) {
                breaker.recordFailure();
            }
        } else if (!TransientFailures.isSaturation(failure) && !TransientFailures.isLockTimeout(failure)
                && !TransientFailures.isReadOnly(failure)) {
            // The dependency answered, with an error of the call's own (a constraint violation, say).
            breaker.recordSuccess();
        }
    }

    /**
     * Runs a whole unit of work that is safe to run again from the start (a read, an upsert), under the
     * concurrency limit, retrying it after a transient failure that struck mid-unit, after serialization
     * failures and deadlocks, and after a read-only refusal. The unit must acquire its connections through
     * {@link #call}, which retries acquisition and feeds the breaker. The first retry is immediate (a dead
     * pooled connection is not an outage); later ones back off. Never use it for a unit that must not run twice.
     */
    public <T> T callIdempotent(ThrowingSupplier<T> unit) throws Exception {
        return limited(() -> execute(idempotentUnit, unit, Reason.RETRIES_EXHAUSTED));
    }

    /**
     * As {@link #callIdempotent}, for a unit that writes: when its last attempt lost its connection after the
     * write was sent, it fails with {@link Reason#OUTCOME_UNKNOWN}, since the write may have been applied.
     */
    public <T> T callIdempotentWrite(ThrowingSupplier<T> unit) throws Exception {
        return limited(() -> execute(idempotentUnit, unit, Reason.OUTCOME_UNKNOWN));
    }

    /**
     * Runs a write that must not run twice (a delete whose outcome would be unknown once sent) under the
     * concurrency limit, without re-running it. Its connection acquisition is still retried by {@link #call};
     * a connection lost once the write was sent fails it with {@link Reason#OUTCOME_UNKNOWN}.
     */
    public <T> T callOnce(ThrowingSupplier<T> unit) throws Exception {
        return limited(() -> execute(once, unit, Reason.OUTCOME_UNKNOWN));
    }

    private <T> T limited(ThrowingSupplier<T> unit) throws Exception {
        if (inUnit.get()) {
            return unit.get();
        }
        return topLevel.track(() -> limitedUnit(unit));
    }

    private <T> T limitedUnit(ThrowingSupplier<T> unit) throws Exception {
        Optional<Limiter.Listener> permit = limit == null ? Optional.empty() : limit.tryAcquire();
        if (limit != null && permit.isEmpty()) {
            throw new DependencyUnavailableException(name, Reason.OVERLOADED,
                    "concurrency limit of " + limit.limit() + " reached", retryAfterSpread.after(OVERLOAD_RETRY_AFTER),
                    null);
        }
        budget.recordCall();
        inUnit.set(true);
        try {
            T result = unit.get();
            permit.ifPresent(Limiter.Listener::onSuccess);
            return result;
        } catch (Exception failure) {
            // A saturated dependency is what the limit measures; other failures tell it nothing about latency.
            boolean saturated = failure instanceof DependencyUnavailableException unavailable
                    && unavailable.reason() == Reason.OVERLOADED;
            permit.ifPresent(saturated ? Limiter.Listener::onDropped : Limiter.Listener::onIgnore);
            throw failure;
        } finally {
            inUnit.set(false);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T execute(FailsafeExecutor<Object> executor, ThrowingSupplier<T> call, Reason whenTransient)
            throws Exception {
        // Once an attempt of a write lost its connection mid-way, that write may have been applied, whatever
        // the later attempts meet.
        boolean[] lostMidWay = {false};
        try {
            return (T) executor.get(ctx -> {
                try {
                    return call.get();
                } catch (Throwable failure) {
                    if (TransientFailures.isTransient(failure) && !hasUnavailable(failure)) {
                        lostMidWay[0] = true;
                    }
                    if (TransientFailures.isReadOnly(failure)) {
                        // Every pooled connection may lead to the demoted server: let the next attempt reconnect.
                        evictConnections.run();
                    }
                    // Spend a token only when a retry would otherwise follow; an empty budget fails fast.
                    if (ctx.getAttemptCount() < maxRetries && TransientFailures.isTransient(failure)
                            && !budget.tryAcquireRetry()) {
                        stats.recordBudgetRejection();
                        throw new BudgetSpent(failure);
                    }
                    throw failure;
                }
            });
        } catch (FailsafeException wrapped) {
            // Failsafe wraps checked exceptions only.
            throw unknownIfLost(wrapped.getCause() == null ? wrapped : wrapped.getCause(), whenTransient,
                    lostMidWay[0]);
        } catch (RuntimeException unchecked) {
            throw unknownIfLost(unchecked, whenTransient, lostMidWay[0]);
        }
    }

    private static boolean hasUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DependencyUnavailableException) {
                return true;
            }
        }
        return false;
    }

    // A write whose earlier attempt lost its connection mid-way has no definite outcome, even if its last
    // attempt found the breaker open or the pool empty.
    private Exception unknownIfLost(Throwable ending, Reason whenTransient, boolean lostMidWay) throws Exception {
        Exception failure = classify(ending, whenTransient);
        if (whenTransient != Reason.OUTCOME_UNKNOWN || !lostMidWay
                || (failure instanceof DependencyUnavailableException unavailable
                        && unavailable.reason() == Reason.OUTCOME_UNKNOWN)) {
            return failure;
        }
        return recorded(Reason.OUTCOME_UNKNOWN, "the connection was lost once the write was sent", failure,
                OVERLOAD_RETRY_AFTER);
    }

    // What a failure that ended a call means for its caller: a DependencyUnavailableException with its reason
    // for anything the dependency caused, else the failure itself, unchanged. An inner call's exception wins
    // over whatever wraps it (JDBI wraps a failed acquisition), and a transient failure gets `whenTransient`.
    private Exception classify(Throwable failure, Reason whenTransient) throws Exception {
        Throwable cause = failure instanceof BudgetSpent spent ? spent.getCause() : failure;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DependencyUnavailableException unavailable) {
                return unavailable;
            }
        }
        if (TransientFailures.isTransient(cause)) {
            if (whenTransient == Reason.OUTCOME_UNKNOWN) {
                return recorded(whenTransient, "the connection was lost once the write was sent", cause,
                        OVERLOAD_RETRY_AFTER);
            }
            return failure instanceof BudgetSpent
                    ? recorded(Reason.BUDGET_SPENT, "retry budget spent", cause, retryAfter())
                    : recorded(Reason.RETRIES_EXHAUSTED, "retries exhausted", cause, retryAfter());
        }
        if (TransientFailures.isSaturation(cause)) {
            return recorded(Reason.OVERLOADED, "saturated", cause, OVERLOAD_RETRY_AFTER);
        }
        if (TransientFailures.isLockTimeout(cause)) {
            return recorded(Reason.BUSY, "lock timeout", cause, OVERLOAD_RETRY_AFTER);
        }
        if (TransientFailures.isReadOnly(cause)) {
            return recorded(Reason.READ_ONLY, "write refused", cause, OVERLOAD_RETRY_AFTER);
        }
        if (cause instanceof Exception e) {
            return e;
        }
        throw (Error) cause;
    }

    // The client is told to come back after the wait, spread so that a fleet's clients do not come back together.
    private DependencyUnavailableException recorded(Reason reason, String what, Throwable cause, Duration wait) {
        // Sanitised: this message reaches logs and health output.
        DependencyUnavailableException unavailable = new DependencyUnavailableException(
                name, reason, what + ": " + Sanitizer.message(cause), retryAfterSpread.after(wait), cause);
        stats.recordFailure(unavailable, Instant.now());
        return unavailable;
    }

    private static CircuitState stateOf(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> CircuitState.CLOSED;
            case OPEN -> CircuitState.OPEN;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
        };
    }

    // Every opening comes through here (failures, the task, tests), so the transition is counted once, with
    // the state it left.
    private void opened(CircuitBreaker.State from) {
        stats.recordTransition(stateOf(from), CircuitState.OPEN);
        if (prober != null && !forcedOpen) {
            prober.start();
        }
    }

    private void recovered() {
        breaker.close();
        // Connections pooled before the outage may be dead; new ones are made on demand.
        evictConnections.run();
    }

    /**
     * Time until the next probe, at least one second: the wait a refusal's Retry-After reports, before its
     * {@link RetryAfter} spread.
     */
    public Duration retryAfter() {
        Duration remaining = untilProbe();
        return remaining.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : remaining;
    }

    /**
     * Time until the open breaker's next probe: zero unless it is open. A breaker an operator forced open, or one
     * without a prober, reports the time left of its reset delay.
     */
    public Duration untilProbe() {
        if (!breakerEnabled || !breaker.isOpen()) {
            return Duration.ZERO;
        }
        if (prober != null && !forcedOpen) {
            return prober.untilNextProbe();
        }
        return forcedOpen ? resetDelay : breaker.getRemainingDelay();
    }

    /** The breaker's state: CLOSED, OPEN or HALF_OPEN (always CLOSED when the breaker is disabled). */
    public CircuitState state() {
        if (!breakerEnabled) {
            return CircuitState.CLOSED;
        }
        return stateOf(breaker.getState());
    }

    /** Consecutive failed calls the breaker has counted since it last closed. */
    public long consecutiveFailures() {
        return breaker.getFailureCount();
    }

    /** Retry tokens left. */
    public int budgetRemaining() {
        return budget.remaining();
    }

    /** The concurrency limit in front of units, if there is one. */
    public Optional<ConcurrencyLimit> concurrencyLimit() {
        return Optional.ofNullable(limit);
    }

    /** Probes that found the dependency answering, since start-up (0 without a prober). */
    public long probesSucceeded() {
        return prober == null ? 0 : prober.succeeded();
    }

    /** Probes that found the dependency still down, since start-up (0 without a prober). */
    public long probesFailed() {
        return prober == null ? 0 : prober.failed();
    }

    /** Counters of what the policies did. */
    public ResilienceStats stats() {
        return stats;
    }

    /**
     * Forces the breaker open (operators, tests): calls fail fast until {@link #closeBreaker()} or
     * {@link #resetBreaker()}. The prober leaves a forced-open breaker alone.
     */
    public void openBreaker() {
        forcedOpen = true;
        if (prober != null) {
            prober.stop();
        }
        breaker.open();
    }

    /** Forces the breaker closed; an open or half-open breaker starts counting failures afresh. */
    public void closeBreaker() {
        forcedOpen = false;
        if (prober != null) {
            prober.stop();
        }
        breaker.close();
    }

    /** Closes the breaker and forgets the failures it has counted, even if it was already closed. */
    public void resetBreaker() {
        closeBreaker();
        // close() keeps the count of a breaker that is already closed; the count covers the last
        // failureThreshold calls, so as many successes push every old failure out of it.
        for (int i = 0; i < failureThreshold; i++) {
            breaker.recordSuccess();
        }
    }

    /** False if built {@linkplain ResilientBuilder#withoutCircuitBreaker() without a breaker}: opening it changes nothing. */
    public boolean hasCircuitBreaker() {
        return breakerEnabled;
    }

    /** Stops the prober's thread. */
    @Override
    public void close() {
        if (prober != null) {
            prober.close();
        }
    }

    /** Marker for a transient failure that was not retried because the budget was empty. */
    private static final class BudgetSpent extends RuntimeException {
        BudgetSpent(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
