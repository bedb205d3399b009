package dev.bulwark.resilience;

import java.util.Locale;

/**
 * How one top-level call ({@link Resilient#call} outside a unit, {@link Resilient#callIdempotent},
 * {@link Resilient#callIdempotentWrite}, {@link Resilient#callOnce}) ended: whether it succeeded and whether
 * anything inside it was retried. The names are resilience4j's, so dashboards read the same. A call refused at
 * once (breaker open, concurrency limit) or failed with an error of its own is {@link #FAILED_WITHOUT_RETRY}.
 */
public enum CallOutcome {
    SUCCESSFUL_WITHOUT_RETRY,
    SUCCESSFUL_WITH_RETRY,
    FAILED_WITHOUT_RETRY,
    FAILED_WITH_RETRY;

    static CallOutcome of(boolean succeeded, boolean retried) {
        if (succeeded) {
            return retried ? SUCCESSFUL_WITH_RETRY : SUCCESSFUL_WITHOUT_RETRY;
        }
        return retried ? FAILED_WITH_RETRY : FAILED_WITHOUT_RETRY;
    }

    /** The lower-case name, e.g. {@code successful_with_retry}: a metric label value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
