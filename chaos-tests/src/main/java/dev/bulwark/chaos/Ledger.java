package dev.bulwark.chaos;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every write a load attempted, whatever came back: for each PUT or DELETE its id, the unique name a PUT
 * sent, the status and error message, the version a 2xx PUT returned, and when it was sent and answered.
 * {@link LedgerCheck} compares it with what PostgreSQL holds afterwards: an acknowledged write must never be
 * lost, and a write answered with any other status must not have been applied (a non-2xx answer means nothing
 * was written), except the two whose outcome nobody knows: a 503 saying {@value #OUTCOME_UNKNOWN}, and a
 * request that got no answer at all.
 *
 * <p>Every PUT of one id must send a name no other PUT of that id sent ({@link #record} refuses a repeat),
 * so a row in PostgreSQL names the one request that wrote it. Thread-safe.
 */
public final class Ledger {

    /** What a 503 says when the service cannot know whether the write was applied (the contract of issue #11). */
    public static final String OUTCOME_UNKNOWN = "outcome unknown";

    /** What an answer means for the write. */
    public enum Outcome {
        /** A 2xx: the write was applied. */
        ACKNOWLEDGED,
        /** Any other answer (404, 503, ...): nothing was written. */
        REFUSED,
        /** A 503 saying {@value #OUTCOME_UNKNOWN}: it may or may not have been applied. */
        INDETERMINATE,
        /** No answer at all (timeout, connection reset): it may or may not have been applied. */
        UNANSWERED;

        /** Whether the write may have been applied. */
        public boolean mayHaveWritten() {
            return this != REFUSED;
        }
    }

    /**
     * One write attempt.
     *
     * @param id         the item id
     * @param method     PUT or DELETE
     * @param name       the name a PUT sent, unique among the PUTs of this id; empty for a DELETE
     * @param status     the HTTP status, or {@link Sample#NO_RESPONSE}
     * @param message    the error body's message, or empty
     * @param version    the version a 2xx PUT returned, else 0
     * @param startNanos {@link System#nanoTime()} when it was sent
     * @param endNanos   {@link System#nanoTime()} when it was answered (or given up on)
     */
    public record Attempt(String id, String method, String name, int status, String message, long version,
                          long startNanos, long endNanos) {

        public Outcome outcome() {
            if (status == Sample.NO_RESPONSE) {
                return Outcome.UNANSWERED;
            }
            if (status / 100 == 2) {
                return Outcome.ACKNOWLEDGED;
            }
            return status == 503 && message.contains(OUTCOME_UNKNOWN) ? Outcome.INDETERMINATE : Outcome.REFUSED;
        }

        public boolean put() {
            return method.equals("PUT");
        }

        @Override
        public String toString() {
            return method + (put() ? " '" + name + "'" : "") + " → "
                    + (status == Sample.NO_RESPONSE ? "no response" : status + (version > 0 ? " v" + version : ""))
                    + (message.isEmpty() ? "" : " \"" + message + "\"");
        }
    }

    private final Map<String, List<Attempt>> attempts = new LinkedHashMap<>();
    private final Set<String> putNames = new HashSet<>();

    /** Records one attempt; a PUT must send a name no earlier PUT of that id sent. */
    public synchronized void record(Attempt attempt) {
        if (attempt.put() && !putNames.add(attempt.id() + "\u0000" + attempt.name())) {
            throw new IllegalArgumentException("the name of every PUT of " + attempt.id()
                    + " must be unique, so a row tells which request wrote it; sent twice: " + attempt.name());
        }
        attempts.computeIfAbsent(attempt.id(), id -> new ArrayList<>()).add(attempt);
    }

    /** Every attempt, by id, as a copy. */
    public synchronized Map<String, List<Attempt>> byId() {
        Map<String, List<Attempt>> copy = new LinkedHashMap<>();
        attempts.forEach((id, list) -> copy.put(id, List.copyOf(list)));
        return copy;
    }

    /** Attempts with this outcome, all ids. */
    public synchronized long count(Outcome outcome) {
        return attempts.values().stream().flatMap(List::stream).filter(a -> a.outcome() == outcome).count();
    }

    /** Ids written at least once. */
    public synchronized int size() {
        return attempts.size();
    }
}
