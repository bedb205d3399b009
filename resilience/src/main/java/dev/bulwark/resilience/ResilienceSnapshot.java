package dev.bulwark.resilience;

import dev.failsafe.CircuitBreaker;
import java.util.Optional;

/**
 * What one dependency's breaker, retries and budget look like at one moment, read once so that a health
 * check or {@code /pool-stats} shows numbers that belong together. Immutable.
 *
 * @param name                 the dependency, {@code database} or {@code redis}
 * @param state                CLOSED, OPEN or HALF_OPEN (CLOSED when the breaker is disabled)
 * @param consecutiveFailures  failed calls the breaker has counted since it last closed
 * @param callsRejected        calls failed at once by the open breaker, since start-up
 * @param secondsUntilProbe    whole seconds, rounded up, until the open breaker lets a probe through; 0 unless
 *                             OPEN, and 0 once the reset delay has passed
 * @param retries              retries made since start-up
 * @param retriesExhausted     calls that failed after their last allowed retry, since start-up
 * @param budgetRejections     retries refused because the retry budget was spent, since start-up
 * @param retryBudgetRemaining retries the budget allows now
 * @param lastFailure          the last call that failed for good, if any
 */
public record ResilienceSnapshot(String name, CircuitBreaker.State state, long consecutiveFailures, long callsRejected,
                                 long secondsUntilProbe, long retries, long retriesExhausted, long budgetRejections,
                                 int retryBudgetRemaining, Optional<LastFailure> lastFailure) {

    /** Reads {@code resilient} now. */
    public static ResilienceSnapshot of(Resilient resilient) {
        CircuitBreaker.State state = resilient.state();
        ResilienceStats stats = resilient.stats();
        long untilProbe = (resilient.untilProbe().toMillis() + 999) / 1000;
        return new ResilienceSnapshot(resilient.name(), state, resilient.consecutiveFailures(), stats.rejected(),
                untilProbe, stats.retries(), stats.retriesExhausted(), stats.budgetRejections(),
                resilient.budgetRemaining(), stats.lastFailure());
    }
}
