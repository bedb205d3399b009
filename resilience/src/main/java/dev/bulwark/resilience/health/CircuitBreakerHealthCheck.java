package dev.bulwark.resilience.health;

import com.codahale.metrics.health.HealthCheck;
import dev.bulwark.resilience.LastFailure;
import dev.bulwark.resilience.PoolStats;
import dev.bulwark.resilience.ResilienceSnapshot;
import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.Sanitizer;
import dev.failsafe.CircuitBreaker;

/**
 * The health of one dependency ({@code database}, {@code redis}): unhealthy with
 * "circuit breaker OPEN, next probe in N s" while its breaker is open and waiting out its reset delay,
 * without touching the dependency; otherwise the result of a direct probe ({@code SELECT 1},
 * {@code PING}), which bypasses retries and the breaker so that it reports the dependency as it is now. A failed probe's message is
 * {@linkplain Sanitizer#message sanitised}, and the exception itself is never attached to the result,
 * so no stack trace or credential reaches the health output.
 *
 * <p>Every result carries the details {@code state}, {@code consecutiveFailures}, {@code callsRejected},
 * {@code retries}, {@code retriesExhausted}, {@code retryBudgetRemaining}, {@code lastFailure}
 * ({@code {time, message}} or null) and {@code pool} ({@code {active, idle, waiting, max}}).
 *
 * <p>Thread-safe if the probe is. The probe must bound its own time (a query or socket timeout).
 */
public final class CircuitBreakerHealthCheck extends HealthCheck {

    /** A direct, unretried check that the dependency answers; throws if it does not. */
    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }

    private final Resilient resilient;
    private final PoolStats pool;
    private final Probe probe;

    public CircuitBreakerHealthCheck(Resilient resilient, PoolStats pool, Probe probe) {
        this.resilient = resilient;
        this.pool = pool;
        this.probe = probe;
    }

    @Override
    protected Result check() {
        ResilienceSnapshot snapshot = ResilienceSnapshot.of(resilient);
        // While the breaker waits out its reset delay it knows the dependency is down; probing would only add load.
        // Once the delay has passed, probe even though it still says OPEN: without traffic (an unready pod gets
        // none) no call would ever half-open it, and the check would stay unhealthy for good.
        if (snapshot.state() == CircuitBreaker.State.OPEN && snapshot.secondsUntilProbe() > 0) {
            return withDetails(Result.builder().unhealthy()
                    .withMessage("circuit breaker OPEN, next probe in " + snapshot.secondsUntilProbe() + " s"), snapshot);
        }
        try {
            probe.check();
            return withDetails(Result.builder().healthy(), snapshot);
        } catch (Exception failure) {
            return withDetails(Result.builder().unhealthy().withMessage(Sanitizer.message(failure)), snapshot);
        }
    }

    private Result withDetails(ResultBuilder result, ResilienceSnapshot snapshot) {
        return result.withDetail("state", snapshot.state().name())
                .withDetail("consecutiveFailures", snapshot.consecutiveFailures())
                .withDetail("callsRejected", snapshot.callsRejected())
                .withDetail("retries", snapshot.retries())
                .withDetail("retriesExhausted", snapshot.retriesExhausted())
                .withDetail("retryBudgetRemaining", snapshot.retryBudgetRemaining())
                .withDetail("lastFailure", snapshot.lastFailure().map(LastFailure::toMap).orElse(null))
                .withDetail("pool", pool.snapshot().toMap())
                .build();
    }
}
