package dev.bulwark.resilience;

import java.time.Duration;

/**
 * A call to a dependency failed fast or for good: its circuit breaker is open, its retries ran out
 * (attempts, deadline or budget), or the failure was transient and not retried. Callers map it to
 * "unavailable, retry after {@link #retryAfter()}". The message names the dependency and never
 * carries credentials.
 */
public final class DependencyUnavailableException extends RuntimeException {

    private final String dependency;
    private final Duration retryAfter;

    public DependencyUnavailableException(String dependency, String reason, Duration retryAfter, Throwable cause) {
        // No stack trace of its own: it is thrown on the fast-fail path, and the cause keeps the useful one.
        super(dependency + " unavailable: " + reason, cause, true, false);
        this.dependency = dependency;
        this.retryAfter = retryAfter;
    }

    /** The dependency's name, e.g. {@code database} or {@code redis}. */
    public String dependency() {
        return dependency;
    }

    /** How long a client should wait before trying again; at least one second. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
