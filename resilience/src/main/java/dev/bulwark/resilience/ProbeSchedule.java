package dev.bulwark.resilience;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When the prober of an open breaker checks the dependency again: the delay before the next probe is a
 * twentieth of the time the breaker has been open, at least {@code interval} and at most {@code max} (the reset
 * time), moved by up to ± {@code jitter} of itself so that a fleet does not probe in lockstep (still never
 * above {@code max}). So a dependency that comes back after an outage of length T is seen again within about
 * T / 20 (a 5 s restart: within about 0.25 s; a 10 s outage: within about 0.6 s, inside the 1 s after which the
 * Gatling outage simulation wants every request served), while a long outage costs it one probe per
 * {@code max}. A probe is one connection attempt, so the closer spacing costs the dependency next to nothing.
 * Immutable and thread-safe.
 *
 * @param interval the first delay and the smallest one; positive
 * @param max      the largest delay, the breaker's reset time; at least {@code interval}
 * @param jitter   the fraction of each delay that is random, from 0 to 1
 */
public record ProbeSchedule(Duration interval, Duration max, double jitter) {

    /** The share of the time open that the next delay grows to. */
    public static final double GROWTH = 0.05;

    public ProbeSchedule {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("probe interval must be positive, got " + interval.toMillis() + " ms");
        }
        if (max.compareTo(interval) < 0) {
            throw new IllegalArgumentException("the longest probe delay (" + max.toMillis()
                    + " ms) must be at least the probe interval (" + interval.toMillis() + " ms)");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("probe jitter must be between 0 and 1, got " + jitter);
        }
    }

    /** The delay before the next probe, before jitter, once the breaker has been open for {@code openFor}. */
    public Duration baseDelay(Duration openFor) {
        long grown = Math.round(openFor.toNanos() * GROWTH);
        return Duration.ofNanos(Math.min(max.toNanos(), Math.max(interval.toNanos(), grown)));
    }

    /**
     * The delay before the next probe, with jitter.
     *
     * @param random uniform numbers in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble}
     */
    public Duration delay(Duration openFor, DoubleSupplier random) {
        long base = baseDelay(openFor).toNanos();
        long jittered = Math.round(base * (1 + jitter * (2 * random.getAsDouble() - 1)));
        return Duration.ofNanos(Math.max(1, Math.min(max.toNanos(), jittered)));
    }
}
