package dev.bulwark.chaos.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The breaker states seen during a scenario, per dependency, as transitions: {@link #observe} is called with
 * each state polled and keeps only the changes, and {@link #intervals} turns them into the band the chart
 * draws. Times are {@link System#nanoTime()} values, like {@link dev.bulwark.chaos.Sample}'s. Thread-safe.
 */
public final class BreakerLog {

    /** A state that started at {@code nanos}. */
    private record Transition(long nanos, String state) {
    }

    /**
     * One stretch of one state, in seconds from the timeline's origin.
     *
     * @param state        CLOSED, OPEN or HALF_OPEN (as {@code /pool-stats} names them)
     * @param startSeconds when it was first seen
     * @param endSeconds   when another state was first seen, or the end of the timeline
     */
    public record Interval(String state, double startSeconds, double endSeconds) {
    }

    private final Map<String, List<Transition>> transitions = new LinkedHashMap<>();

    /** Records that {@code dependency}'s breaker was {@code state} at {@code nanos}; a repeated state is ignored. */
    public synchronized void observe(String dependency, String state, long nanos) {
        List<Transition> seen = transitions.computeIfAbsent(dependency, name -> new ArrayList<>());
        if (seen.isEmpty() || !seen.get(seen.size() - 1).state().equals(state)) {
            seen.add(new Transition(nanos, state));
        }
    }

    /** The dependencies observed, in the order first seen. */
    public synchronized List<String> dependencies() {
        return List.copyOf(transitions.keySet());
    }

    /**
     * {@code dependency}'s states between {@code originNanos} and {@code endNanos}, in seconds from
     * {@code originNanos}: each lasts until the next one was seen, the last until {@code endNanos}. Nothing is
     * assumed before the first observation. Empty for a dependency never observed.
     */
    public synchronized List<Interval> intervals(String dependency, long originNanos, long endNanos) {
        List<Transition> seen = transitions.getOrDefault(dependency, List.of());
        List<Interval> intervals = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++) {
            long start = Math.max(seen.get(i).nanos(), originNanos);
            long end = i + 1 < seen.size() ? Math.min(seen.get(i + 1).nanos(), endNanos) : endNanos;
            if (end > start) {
                intervals.add(new Interval(seen.get(i).state(), seconds(start - originNanos), seconds(end - originNanos)));
            }
        }
        return intervals;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
