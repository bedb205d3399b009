package dev.bulwark.resilience.health;

import dev.bulwark.resilience.CircuitState;
import dev.bulwark.resilience.Dependency;
import com.codahale.metrics.health.HealthCheck;
import dev.bulwark.resilience.LastFailure;
import dev.bulwark.resilience.PoolStats;
import dev.bulwark.resilience.Probe;
import dev.bulwark.resilience.ResilienceSnapshot;
import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.Sanitizer;
import dev.bulwark.resilience.TransientFailures;

/**
 * The health of one dependency ({@code database}, {@code redis}): unhealthy with
 * "circuit breaker OPEN, next probe in N s" while its breaker is open, without touching the dependency (the
 * breaker's prober does that, and closes the breaker when it answers); otherwise the result of a direct
 * check ({@code SELECT 1}, {@code PING}), which bypasses retries and the breaker so that it reports the
 * dependency as it is now. A failed check's message is
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

    private final Resilient resilient;
    private final PoolStats pool;
    private final Probe probe;

    /** The health of {@code dependency}: its breaker, else its {@linkplain Dependency#check() direct check}. */
    public CircuitBreakerHealthCheck(Dependency dependency) {
        this.resilient = dependency.resilient();
        this.pool = dependency.pool();
        this.probe = dependency.check();
    }

    @Override
    protected Result check() {
        ResilienceSnapshot snapshot = ResilienceSnapshot.of(resilient);
        // While the breaker is open it knows the dependency is down, and its prober is watching it. A breaker
        // without a prober half-opens on the next call once its delay is over: then check even though it still
        // says OPEN, since without traffic (an unready pod gets none) no call would ever half-open it.
        if (snapshot.state() == CircuitState.OPEN && snapshot.millisUntilProbe() > 0) {
            return withDetails(Result.builder().unhealthy()
                    .withMessage("circuit breaker OPEN, next probe in " + snapshot.secondsUntilProbe() + " s"), snapshot);
        }
        try {
            probe.check();
            return withDetails(Result.builder().healthy(), snapshot);
        } catch (Exception failure) {
            if (TransientFailures.isSaturation(failure)) {
                // A pool with no connection free in time is busy, not gone: a slow database is not a dead one.
                return withDetails(Result.builder().healthy().withMessage("saturated: " + Sanitizer.message(failure)),
                        snapshot);
            }
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
