package dev.bulwark.gatling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
     * @param request      the Gatling request name, e.g. {@code PUT item}
     * @param status       the HTTP status, 0 when there was no answer
     * @param ok           whether Gatling counted it OK (its checks passed)
     * @param millis       from sending the request to its outcome
     * @param answer       what came back, for a failure's diagnosis: {@link #answer(int, String)}
     * @param sentAtMillis when it was sent, in milliseconds since the run's start
     */
    public record Outcome(String request, int status, boolean ok, long millis, String answer, long sentAtMillis) {

        private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"([^\",]*)");

        /** An outcome whose answer is its status alone, sent at the run's start. */
        public Outcome(String request, int status, boolean ok, long millis) {
            this(request, status, ok, millis, answer(status, ""), 0);
        }

        /**
         * What came back, short enough to count by: the status and, where the body is a Bulwark error, its
         * message up to the first comma ({@code 503 database overloaded}); {@code no answer} for status 0.
         */
        public static String answer(int status, String body) {
            if (status == 0) {
                return "no answer";
            }
            Matcher message = MESSAGE.matcher(body == null ? "" : body);
            return message.find() ? status + " " + message.group(1) : String.valueOf(status);
        }

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

    /**
     * The failed (KO) requests of {@code phase}, counted by {@link Outcome#answer()} and by the whole second
     * of the run they were sent in, e.g. {@code 503 database overloaded ×212 (s12 ×200, s13 ×12)}: whether
     * the failures were one burst or spread over the phase. Empty when none failed.
     */
    public String failures(String phase) {
        Map<String, Map<Long, Long>> byAnswer = new TreeMap<>();
        for (Outcome outcome : outcomes.getOrDefault(phase, new ConcurrentLinkedQueue<>())) {
            if (!outcome.ok()) {
                byAnswer.computeIfAbsent(outcome.answer(), answer -> new TreeMap<>())
                        .merge(outcome.sentAtMillis() / 1000, 1L, Long::sum);
            }
        }
        List<String> parts = new ArrayList<>();
        byAnswer.forEach((answer, seconds) -> {
            long total = seconds.values().stream().mapToLong(Long::longValue).sum();
            List<String> perSecond = new ArrayList<>();
            seconds.forEach((second, count) -> perSecond.add("s" + second + " ×" + count));
            parts.add(answer + " ×" + total + " (" + String.join(", ", perSecond) + ")");
        });
        return String.join("; ", parts);
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
