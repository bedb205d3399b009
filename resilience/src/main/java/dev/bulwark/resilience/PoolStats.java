package dev.bulwark.resilience;

/**
 * Reads a connection pool's counts, so health checks and {@code /pool-stats} can show them without this
 * module depending on any pool. The service adapts its pools, for example
 * {@code () -> new PoolSnapshot(pool.getNumActive(), pool.getNumIdle(), pool.getNumWaiters(), pool.getMaxTotal())}
 * for a commons-pool2 (Jedis) pool. Implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface PoolStats {

    /** The pool's counts now. */
    PoolSnapshot snapshot();
}
