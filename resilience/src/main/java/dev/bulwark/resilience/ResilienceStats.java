package dev.bulwark.resilience;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one dependency's policies have done since start-up: retries, exhausted retries, budget
 * rejections, calls rejected by the open breaker, breaker transitions (from and to which state), top-level
 * calls by {@link CallOutcome} and their {@link CallDurations}, and the last failure. Thread-safe.
 */
public final class ResilienceStats {

    private final LongAdder retries = new LongAdder();
    private final LongAdder retriesExhausted = new LongAdder();
    private final LongAdder budgetRejections = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final Map<Transition, LongAdder> transitions = new ConcurrentHashMap<>();
    private final Map<CallOutcome, LongAdder> calls = new EnumMap<>(CallOutcome.class);
    private final CallDurations durations = new CallDurations();
    private volatile LastFailure lastFailure;

    ResilienceStats() {
        for (CallOutcome outcome : CallOutcome.values()) {
            calls.put(outcome, new LongAdder());
        }
    }

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

    void recordTransition(CircuitState from, CircuitState to) {
        transitions.computeIfAbsent(new Transition(from, to), t -> new LongAdder()).increment();
    }

    void recordCall(CallOutcome outcome, long nanos) {
        calls.get(outcome).increment();
        durations.record(nanos);
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

    /** Transitions into {@code state} (OPEN, HALF_OPEN or CLOSED), from any state. */
    public long transitionsTo(String state) {
        CircuitState to = CircuitState.valueOf(state);
        long sum = 0;
        for (CircuitState from : CircuitState.values()) {
            sum += transitions(from, to);
        }
        return sum;
    }

    /** Transitions from {@code from} to {@code to}. */
    public long transitions(CircuitState from, CircuitState to) {
        LongAdder count = transitions.get(new Transition(from, to));
        return count == null ? 0 : count.sum();
    }

    /** Top-level calls that ended as {@code outcome}. */
    public long calls(CallOutcome outcome) {
        return calls.get(outcome).sum();
    }

    /** How long the top-level calls took. */
    public CallDurations callDurations() {
        return durations;
    }

    /**
     * The last call that failed for good after reaching the dependency (retries exhausted or budget spent),
     * if any. Calls rejected by the open breaker are only counted in {@link #rejected()}, so the failure that
     * opened the breaker stays visible while it is open.
     */
    public Optional<LastFailure> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    private record Transition(CircuitState from, CircuitState to) {
    }
}
