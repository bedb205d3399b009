package dev.bulwark.resilience;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one dependency's policies have done since start-up: retries, exhausted retries, budget
 * rejections, calls rejected by the open breaker, breaker transitions by target state, and the last
 * failure. Thread-safe.
 */
public final class ResilienceStats {

    private final LongAdder retries = new LongAdder();
    private final LongAdder retriesExhausted = new LongAdder();
    private final LongAdder budgetRejections = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final Map<String, LongAdder> transitions = new ConcurrentHashMap<>();
    private volatile LastFailure lastFailure;

    void recordRetry() {
        retries.increment();
    }

    void recordRetriesExhausted() {
        retriesExhausted.increment();
    }

    void recordBudgetRejection() {
        budgetRejections.increment();
    }

    void recordRejection() {
        rejected.increment();
    }

    void recordTransition(String toState) {
        transitions.computeIfAbsent(toState, s -> new LongAdder()).increment();
    }

    /** Remembers {@code failure} as the last one, with its most specific message {@linkplain Sanitizer sanitised}. */
    void recordFailure(Throwable failure, Instant time) {
        lastFailure = new LastFailure(time, Sanitizer.message(failure));
    }

    public long retries() {
        return retries.sum();
    }

    public long retriesExhausted() {
        return retriesExhausted.sum();
    }

    public long budgetRejections() {
        return budgetRejections.sum();
    }

    /** Calls failed at once because the breaker was open. */
    public long rejected() {
        return rejected.sum();
    }

    /** Transitions into {@code state} (OPEN, HALF_OPEN or CLOSED). */
    public long transitionsTo(String state) {
        LongAdder count = transitions.get(state);
        return count == null ? 0 : count.sum();
    }

    /**
     * The last call that failed for good after reaching the dependency (retries exhausted or budget spent),
     * if any. Calls rejected by the open breaker are only counted in {@link #rejected()}, so the failure that
     * opened the breaker stays visible while it is open.
     */
    public Optional<LastFailure> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }
}
