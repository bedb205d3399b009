package dev.bulwark.resilience;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.util.function.Supplier;

/**
 * Registers one dependency's resilience metrics, all gauges read live from {@link Resilient}, under
 * {@code resilience.<name>.}:
 * <ul>
 *   <li>{@code state}: 0 CLOSED, 1 HALF_OPEN, 2 OPEN (so "above 0" means "not normal");</li>
 *   <li>{@code consecutiveFailures}, {@code retryBudgetRemaining}: current values;</li>
 *   <li>{@code retries}, {@code retriesExhausted}, {@code budgetRejections}, {@code callsRejected},
 *       {@code transitions.open}, {@code transitions.halfOpen}, {@code transitions.closed},
 *       {@code probes.succeeded}, {@code probes.failed}: totals since start-up that only grow (take a rate of
 *       them);</li>
 *   <li>with a concurrency limit, {@code concurrency.limit}, {@code concurrency.inflight} (current) and
 *       {@code concurrency.rejected} and {@code concurrency.admittedSpare} (totals: refused, and admitted over
 *       the limit because the pool had a connection free).</li>
 * </ul>
 * Stateless; the registry provides thread-safety.
 */
public final class ResilienceMetrics {

    private ResilienceMetrics() {
    }

    /**
     * Registers {@code resilient}'s gauges in {@code registry}.
     *
     * @throws IllegalArgumentException if a dependency of the same name is already registered
     */
    public static void register(MetricRegistry registry, Resilient resilient) {
        String prefix = MetricRegistry.name("resilience", resilient.name());
        ResilienceStats stats = resilient.stats();
        gauge(registry, prefix, "state", () -> stateCode(resilient.state()));
        gauge(registry, prefix, "consecutiveFailures", resilient::consecutiveFailures);
        gauge(registry, prefix, "retryBudgetRemaining", () -> (long) resilient.budgetRemaining());
        gauge(registry, prefix, "retries", stats::retries);
        gauge(registry, prefix, "retriesExhausted", stats::retriesExhausted);
        gauge(registry, prefix, "budgetRejections", stats::budgetRejections);
        gauge(registry, prefix, "callsRejected", stats::rejected);
        gauge(registry, prefix, "transitions.open", () -> stats.transitionsTo("OPEN"));
        gauge(registry, prefix, "transitions.halfOpen", () -> stats.transitionsTo("HALF_OPEN"));
        gauge(registry, prefix, "transitions.closed", () -> stats.transitionsTo("CLOSED"));
        gauge(registry, prefix, "probes.succeeded", resilient::probesSucceeded);
        gauge(registry, prefix, "probes.failed", resilient::probesFailed);
        resilient.concurrencyLimit().ifPresent(limit -> {
            gauge(registry, prefix, "concurrency.limit", () -> (long) limit.limit());
            gauge(registry, prefix, "concurrency.inflight", () -> (long) limit.inflight());
            gauge(registry, prefix, "concurrency.rejected", limit::rejected);
            gauge(registry, prefix, "concurrency.admittedSpare", limit::admittedSpare);
        });
    }

    /** The {@code state} gauge's value: 0 CLOSED, 1 HALF_OPEN, 2 OPEN. */
    public static long stateCode(CircuitState state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    private static void gauge(MetricRegistry registry, String prefix, String name, Supplier<Long> value) {
        // register(), not gauge(): it refuses a second registration instead of silently keeping the first.
        registry.register(MetricRegistry.name(prefix, name), (Gauge<Long>) value::get);
    }
}
