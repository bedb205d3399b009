package dev.bulwark.resilience.jdbi;

import dev.bulwark.resilience.Resilient;
import org.jdbi.v3.core.Jdbi;

/**
 * A database built by {@link ResilientJdbiFactory#build}: a JDBI whose every connection is acquired through the
 * dependency's policies, and those policies, to run whole units of work under the concurrency limit
 * ({@link Resilient#callIdempotent}, {@link Resilient#callIdempotentWrite}, {@link Resilient#callOnce}).
 * Immutable and thread-safe.
 *
 * @param jdbi      JDBI on the resilient connection factory
 * @param resilient the database's retry, budget, breaker and limit
 */
public record ResilientJdbi(Jdbi jdbi, Resilient resilient) {
}
