package dev.bulwark.resilience;

/**
 * One dependency as the operations side sees it: its name, the policies its calls run under, its connection
 * pool's counts, and the direct check its health check runs (bypassing retries and the breaker). What the
 * health check, {@code /pool-stats}, the circuit-breaker task and the metrics all read. Immutable.
 *
 * @param name      the dependency's name ({@code database}, {@code redis})
 * @param resilient the retry, breaker, budget and limit its calls run under
 * @param pool      its connection pool's counts
 * @param check     a direct, unretried check that it answers now
 */
public record Dependency(String name, Resilient resilient, PoolStats pool, Probe check) {
}
