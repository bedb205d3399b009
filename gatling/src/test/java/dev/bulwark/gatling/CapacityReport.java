package dev.bulwark.gatling;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@link CapacitySimulation} found: each level's figures, and the knee, the highest level that met
 * both bounds (99th percentile at most {@code p99}, at most {@link #MAX_FAILED_PERCENT} failed) before two
 * levels in a row missed one. One miss followed by a level that meets both is noise (a pause of this
 * shared 2-core machine, or code the JIT had not compiled yet), not the knee; levels after two misses in
 * a row do not count. Immutable.
 */
public final class CapacityReport {

    /** At most this share of a level's requests may fail: 0.1%, as every simulation's "served". */
    public static final double MAX_FAILED_PERCENT = 0.1;

    /**
     * One level of the ramp as measured.
     *
     * @param number  1 for the first level
     * @param rate    journeys started per second
     * @param length  how long the level lasted
     * @param summary its requests, unfinished ones counted as slower than any bound
     */
    public record Level(int number, double rate, Duration length, PhaseRecorder.Summary summary) {

        /** Requests started per second during the level. */
        public double requestsPerSecond() {
            return summary.count() * 1000.0 / length.toMillis();
        }

        boolean meets(Duration p99) {
            return summary.count() > 0 && summary.p99() <= p99.toMillis() && summary.failedPercent() <= MAX_FAILED_PERCENT;
        }

        String figures() {
            String p99 = summary.p99() == Long.MAX_VALUE ? "unanswered" : summary.p99() + " ms";
            return String.format(Locale.ROOT, "p99 %s, errors %.2f%%", p99, summary.failedPercent());
        }
    }

    private final List<Level> levels;
    private final int plannedLevels;
    private final Duration p99;
    private final Optional<Level> knee;
    private final Optional<Level> next;

    /**
     * @param levels        the levels that ran, in order (a level cut short by the stop is left out)
     * @param plannedLevels how many the ramp had
     * @param p99           the bound on a level's 99th percentile
     */
    public CapacityReport(List<Level> levels, int plannedLevels, Duration p99) {
        this.levels = List.copyOf(levels);
        this.plannedLevels = plannedLevels;
        this.p99 = p99;
        Level lastMet = null;
        Level previous = null;
        for (Level level : this.levels) {
            if (level.meets(p99)) {
                lastMet = level;
            } else if (previous != null && !previous.meets(p99)) {
                break;
            }
            previous = level;
        }
        this.knee = Optional.ofNullable(lastMet);
        int nextIndex = lastMet == null ? 0 : this.levels.indexOf(lastMet) + 1;
        this.next = nextIndex < this.levels.size() ? Optional.of(this.levels.get(nextIndex)) : Optional.empty();
    }

    /** Whether the last two of {@code levels} missed a bound: the ramp is past the knee, and can stop. */
    static boolean pastTheKnee(List<Level> levels, Duration p99) {
        int size = levels.size();
        return size >= 2 && !levels.get(size - 1).meets(p99) && !levels.get(size - 2).meets(p99);
    }

    /** The highest level that met both bounds before two levels in a row missed. */
    public Optional<Level> knee() {
        return knee;
    }

    /** The level after the knee, which missed a bound; empty when there is none (the knee is higher still). */
    public Optional<Level> next() {
        return next;
    }

    /** One line per level: rate, requests a second, figures, and whether it met the bounds. */
    public List<String> levelLines() {
        return levels.stream()
                .map(level -> String.format(Locale.ROOT, "level %d of %d: %.1f journeys/s, %.0f req/s, %s: %s",
                        level.number(), plannedLevels, level.rate(), level.requestsPerSecond(), level.figures(),
                        level.meets(p99) ? "met" : "missed"))
                .toList();
    }

    /**
     * The knee in one line, e.g. {@code knee: 620 req/s (level 7 of 10: p99 180 ms, errors 0.00%); next
     * level 700 req/s: p99 410 ms, errors 0.00%}.
     */
    public String kneeLine() {
        if (knee.isEmpty()) {
            return next.map(first -> String.format(Locale.ROOT,
                            "knee: none, the first levels missed, from %.0f req/s: %s", first.requestsPerSecond(), first.figures()))
                    .orElse("knee: none, no level ran");
        }
        Level at = knee.get();
        String found = String.format(Locale.ROOT, "knee: %.0f req/s (level %d of %d: %s)",
                at.requestsPerSecond(), at.number(), plannedLevels, at.figures());
        return next.map(first -> found + String.format(Locale.ROOT, "; next level %.0f req/s: %s",
                        first.requestsPerSecond(), first.figures()))
                .orElse(found + "; every level met both bounds, so the knee is higher: raise -DcapacityLevels");
    }

    /**
     * The knee as a properties file's lines, for gatling/run-ci: {@code knee} (requests a second, 0 when
     * none), {@code kneeRate} (journeys a second of that level), {@code kneeFound} (false when every level
     * met the bounds, so the knee is a lower bound).
     */
    public String properties() {
        double requests = knee.map(Level::requestsPerSecond).orElse(0.0);
        double rate = knee.map(Level::rate).orElse(0.0);
        return String.format(Locale.ROOT, "# %s%nknee=%.0f%nkneeRate=%.1f%nkneeFound=%s%n",
                kneeLine(), requests, rate, knee.isPresent() && next.isPresent());
    }
}
