package dev.bulwark.gatling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The outcome of every load request, kept by the {@link Phase} it started in, for the figures Gatling's
 * assertions cannot give: statistics of one level of a ramp while the run goes on, a rate over a phase's
 * own length, or the latency of refusals only. {@link Journeys} calls {@link #started(String)} as a
 * request is sent and {@link #finished(String, Outcome)} when it is done.
 *
 * <p>A request that started but has not finished (still in flight, or abandoned when the run stopped)
 * counts in a {@link Summary} as not failed and slower than any bound: it has not been answered. Holds
 * every outcome in memory (a few bytes each; a ci run makes well under 100,000). Thread-safe.
 */
public final class PhaseRecorder {

    /**
     * One answered request (or one that timed out).
     *
     * @param request the Gatling request name, e.g. {@code PUT item}
     * @param status  the HTTP status, 0 when there was no answer
     * @param ok      whether Gatling counted it OK (its checks passed)
     * @param millis  from sending the request to its outcome
     */
    public record Outcome(String request, int status, boolean ok, long millis) {

        /** A 2xx answer: the request was served. */
        public boolean served() {
            return status >= 200 && status < 300;
        }

        /** A 503: the service refused the request. */
        public boolean refused() {
            return status == 503;
        }
    }

    /**
     * Statistics of the requests of one phase that match a filter.
     *
     * @param count  how many requests it covers
     * @param failed how many of them finished KO
     * @param ok     how many of them finished OK
     * @param p99    99th percentile in milliseconds (nearest rank), {@link Long#MAX_VALUE} when a request
     *               that slow has not finished, 0 when there are none
     * @param max    the slowest in milliseconds, {@link Long#MAX_VALUE} when one has not finished
     */
    public record Summary(long count, long failed, long ok, long p99, long max) {

        /** Failed requests as a percentage of those that started; 0 when none did. */
        public double failedPercent() {
            return count == 0 ? 0 : 100.0 * failed / count;
        }
    }

    private final Map<String, AtomicLong> started = new ConcurrentHashMap<>();
    private final Map<String, Queue<Outcome>> outcomes = new ConcurrentHashMap<>();
    private final Queue<String> phases = new ConcurrentLinkedQueue<>();

    /** Counts a request of {@code phase} as sent. */
    public void started(String phase) {
        started.computeIfAbsent(phase, name -> {
            phases.add(name);
            return new AtomicLong();
        }).incrementAndGet();
    }

    /** The phases that had a request, in the order of their first one. */
    public List<String> phases() {
        return List.copyOf(phases);
    }

    /** Records how a request of {@code phase}, counted by {@link #started(String)}, ended. */
    public void finished(String phase, Outcome outcome) {
        outcomes.computeIfAbsent(phase, name -> new ConcurrentLinkedQueue<>()).add(outcome);
    }

    /** Every request of {@code phase}, unfinished ones included (as not failed, and slower than any bound). */
    public Summary summary(String phase) {
        return summary(phase, outcome -> true, true);
    }

    /** The finished requests of {@code phase} whose outcome matches {@code filter}, e.g. {@link Outcome#refused()}. */
    public Summary summary(String phase, Predicate<Outcome> filter) {
        return summary(phase, filter, false);
    }

    private Summary summary(String phase, Predicate<Outcome> filter, boolean withUnfinished) {
        List<Outcome> done = new ArrayList<>(outcomes.getOrDefault(phase, new ConcurrentLinkedQueue<>()));
        List<Long> millis = new ArrayList<>();
        long failed = 0;
        long ok = 0;
        for (Outcome outcome : done) {
            if (filter.test(outcome)) {
                millis.add(outcome.millis());
                if (outcome.ok()) {
                    ok++;
                } else {
                    failed++;
                }
            }
        }
        if (withUnfinished) {
            long unfinished = started.getOrDefault(phase, new AtomicLong()).get() - done.size();
            for (long i = 0; i < unfinished; i++) {
                millis.add(Long.MAX_VALUE);
            }
        }
        millis.sort(null);
        long p99 = millis.isEmpty() ? 0 : millis.get((int) Math.ceil(0.99 * millis.size()) - 1);
        long max = millis.isEmpty() ? 0 : millis.get(millis.size() - 1);
        return new Summary(millis.size(), failed, ok, p99, max);
    }
}
