package dev.bulwark.gatling;

import io.gatling.javaapi.core.Session;
import java.time.Duration;

/**
 * One window of a run, from {@code start} (inclusive) to {@code end} (exclusive), measured from the
 * run's start. A request is grouped under the phase it starts in, so Gatling's assertions can name a
 * phase ({@code details("outage")}), and is checked by that phase's rule: whether a 503 with
 * {@code Retry-After} (the service refusing fast while the database is down) counts as OK.
 *
 * @param name               the Gatling group name: {@code steady}, {@code outage}, {@code recovery}, ...
 * @param start              when the phase begins
 * @param end                when the next one begins
 * @param unavailableAllowed whether a 503 with {@code Retry-After} is an expected answer here
 */
public record Phase(String name, Duration start, Duration end, boolean unavailableAllowed) {

    /** The session attribute holding the phase of the request about to be sent. */
    static final String SESSION_KEY = "phase";

    /** Strict: only a served request is OK. Used when no phase was recorded in the session. */
    private static final Phase SERVED_ONLY = new Phase("steady", Duration.ZERO, Duration.ZERO, false);

    public Phase {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a phase needs a name");
        }
        if (end.compareTo(start) < 0) {
            throw new IllegalArgumentException("phase " + name + " ends (" + end + ") before it starts (" + start + ")");
        }
    }

    /** The phase recorded in {@code session} by {@link Journeys}, or a strict one when there is none. */
    static Phase of(Session session) {
        Phase phase = session.get(SESSION_KEY);
        return phase == null ? SERVED_ONLY : phase;
    }

    boolean contains(Duration elapsed) {
        return elapsed.compareTo(start) >= 0 && elapsed.compareTo(end) < 0;
    }

    public Duration length() {
        return end.minus(start);
    }
}
