package dev.bulwark.chaos;

/**
 * One request the load sent and what came back.
 *
 * @param phase         the load's phase when the request was sent (e.g. "before", "fault", "after")
 * @param method        GET, PUT or DELETE
 * @param id            the item id
 * @param status        the HTTP status, or {@link #NO_RESPONSE} when none came (timeout, refused, reset)
 * @param startNanos    {@link System#nanoTime()} when it was sent
 * @param latencyNanos  time to the whole response, end to end
 * @param cache         the {@code X-Cache} header, or empty
 * @param retryAfter    whether a {@code Retry-After} header came with it
 * @param message       the {@code message} of an error body (any status but 2xx), or empty
 */
public record Sample(String phase, String method, String id, int status, long startNanos, long latencyNanos,
                     String cache, boolean retryAfter, String message) {

    /** The status recorded when no response came at all. */
    public static final int NO_RESPONSE = -1;

    /**
     * Served: a 2xx, or a 404 for an item that does not exist (a GET of an id no write has created yet or
     * one deleted since, a DELETE of such an id).
     */
    public boolean served() {
        return (status >= 200 && status < 300) || (status == 404 && !method.equals("PUT"));
    }

    /** A status 500 or above, or no response. */
    public boolean failed() {
        return status >= 500 || status == NO_RESPONSE;
    }

    /** A PUT or a DELETE. */
    public boolean write() {
        return !method.equals("GET");
    }

    /** A 503 whose message starts with {@code prefix}, e.g. "database overloaded". */
    public boolean unavailable(String prefix) {
        return status == 503 && message.startsWith(prefix);
    }

    public double latencyMillis() {
        return latencyNanos / 1_000_000d;
    }

    /** {@link System#nanoTime()} when the whole response had come. */
    public long endNanos() {
        return startNanos + latencyNanos;
    }
}
