package dev.bulwark.resilience;

/**
 * A direct, unretried check that a dependency answers now (a fresh connection and {@code SELECT 1}, a
 * {@code PING}); it returns normally when the dependency answered and throws otherwise. It must bound its own
 * time (connect and socket timeouts). Used by the {@linkplain Resilient breaker's prober}, the health checks and
 * the start-up gate. Implementations are expected to be thread-safe.
 */
@FunctionalInterface
public interface Probe {

    /** Checks the dependency once; throws if it did not answer. */
    void check() throws Exception;
}
