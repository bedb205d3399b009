package dev.bulwark.resilience;

/**
 * The state of a dependency's circuit breaker, as {@link Resilient#state()} reports it: {@link #CLOSED} (calls go
 * through), {@link #OPEN} (calls fail at once while the prober watches the dependency) or {@link #HALF_OPEN} (a
 * breaker without a prober lets one trial call through after its reset time).
 */
public enum CircuitState {
    CLOSED,
    OPEN,
    HALF_OPEN
}
