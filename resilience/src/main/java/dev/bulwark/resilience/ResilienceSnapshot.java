package dev.bulwark.resilience;

import java.util.Optional;

/**
 * What one dependency's breaker, retries and budget look like at one moment, read once so that a health
 * check or {@code /pool-stats} shows numbers that belong together. Immutable.
 *
 * @param name                 the dependency, {@code database} or {@code redis}
 * @param state                CLOSED, OPEN or HALF_OPEN (CLOSED when the breaker is disabled)
 * @param consecutiveFailures  failed calls the breaker has counted since it last closed
 * @param callsRejected        calls failed at once by the open breaker, since start-up
 * @param secondsUntilProbe    whole seconds, rounded up, until the open breaker's next probe; 0 unless OPEN
 * @param millisUntilProbe     the same in milliseconds
 * @param opened               transitions to OPEN since start-up
 * @param probesSucceeded      probes that found the dependency answering, since start-up
 * @param probesFailed         probes that found it still down, since start-up
 * @param retries              retries made since start-up
 * @param retriesExhausted     calls that failed after their last allowed retry, since start-up
 * @param budgetRejections     retries refused because the retry budget was spent, since start-up
 * @param retryBudgetRemaining retries the budget allows now
 * @param lastFailure          the last call that failed for good, if any
 */
public record ResilienceSnapshot(String name, CircuitState state, long consecutiveFailures, long callsRejected,
                                 long secondsUntilProbe, long millisUntilProbe, long opened, long probesSucceeded,
                                 long probesFailed, long retries, long retriesExhausted, long budgetRejections,
                                 int retryBudgetRemaining, Optional<LastFailure> lastFailure) {

    /** Reads {@code resilient} now. */
    public static ResilienceSnapshot of(Resilient resilient) {
        CircuitState state = resilient.state();
        ResilienceStats stats = resilient.stats();
        long untilProbe = resilient.untilProbe().toMillis();
        return new ResilienceSnapshot(resilient.name(), state, resilient.consecutiveFailures(), stats.rejected(),
                (untilProbe + 999) / 1000, untilProbe, stats.transitionsTo("OPEN"), resilient.probesSucceeded(),
                resilient.probesFailed(), stats.retries(), stats.retriesExhausted(), stats.budgetRejections(),
                resilient.budgetRemaining(), stats.lastFailure());
    }
}
