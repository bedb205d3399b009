package dev.bulwark.resilience;

import java.time.Duration;

/**
 * A call to a dependency failed fast or for good, for one of the {@link Reason}s: its circuit breaker is open,
 * its retries ran out, it is over its concurrency limit, it refused a write as read-only, a row lock did not
 * come in time, or the connection died after a write was sent. Callers map it to "{@code <dependency>
 * <reason>, retry after {@link #retryAfter()}}". The message names the dependency and never carries
 * credentials.
 */
public final class DependencyUnavailableException extends RuntimeException {

    /** Why the call failed; each says what a client of the failed call may assume. */
    public enum Reason {
        /** Down: the breaker is open, so the call was not attempted. Nothing was done. */
        BREAKER_OPEN("unavailable", true),
        /** Down: a transient failure outlasted the retries (attempts or deadline). Nothing was done. */
        RETRIES_EXHAUSTED("unavailable", true),
        /** Down: a transient failure was not retried because the retry budget was spent. Nothing was done. */
        BUDGET_SPENT("unavailable", true),
        /** Saturated: over the concurrency limit, no pooled connection in time, or a statement timed out and
         * was cancelled. Nothing was done. */
        OVERLOADED("overloaded", false),
        /** The database refused the write as read-only (a demoted primary, SQLState 25006). Nothing was written. */
        READ_ONLY("read-only", false),
        /** A row the call needed stayed locked by another transaction past the lock timeout (SQLState 55P03);
         * the statement was rolled back. Nothing was written. */
        BUSY("busy: a row is locked by another transaction", false),
        /** The connection died after a write was sent: it may or may not have been applied. */
        OUTCOME_UNKNOWN("connection lost mid-write: outcome unknown", false);

        private final String phrase;
        private final boolean down;

        Reason(String phrase, boolean down) {
            this.phrase = phrase;
            this.down = down;
        }

        /** How a client is told, after the dependency's name: {@code database overloaded}. */
        public String phrase() {
            return phrase;
        }

        /** True when the dependency itself looks down (breaker open, retries or budget spent), not just busy. */
        public boolean meansDown() {
            return down;
        }
    }

    private final String dependency;
    private final Reason reason;
    private final Duration retryAfter;

    /**
     * @param detail what happened, for logs and health output (sanitised by the caller); not for clients
     */
    public DependencyUnavailableException(String dependency, Reason reason, String detail, Duration retryAfter,
                                          Throwable cause) {
        // No stack trace of its own: it is thrown on the fast-fail path, and the cause keeps the useful one.
        super(dependency + " " + reason.phrase() + ": " + detail, cause, true, false);
        this.dependency = dependency;
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    /** The dependency's name, e.g. {@code database} or {@code redis}. */
    public String dependency() {
        return dependency;
    }

    /** Why it failed. */
    public Reason reason() {
        return reason;
    }

    /** How long a client should wait before trying again; at least one second. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
