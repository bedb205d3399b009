package dev.bulwark.resilience;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with a cap and jitter: the delay after the n-th failed attempt (n from 1) is
 * {@code min(interval × 2^(n-1), max)}, then moved by a uniformly random amount within
 * {@code ± jitter × delay}. With jitter 0 the schedule is exact, so {@code interval = max} gives the
 * fixed-interval retries operators of older versions expect. Immutable and thread-safe.
 *
 * @param interval the first delay; positive
 * @param max      the largest delay before jitter; at least {@code interval}
 * @param jitter   the fraction of each delay that is random, from 0 to 1
 */
public record Backoff(Duration interval, Duration max, double jitter) {

    public Backoff {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("backoff interval must be positive, got " + interval.toMillis() + " ms");
        }
        if (max.compareTo(interval) < 0) {
            throw new IllegalArgumentException("maximum backoff (" + max.toMillis() + " ms) must be at least the interval ("
                    + interval.toMillis() + " ms)");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
        }
    }

    /** The delay before the attempt after failed attempt {@code n} (1 = the first attempt failed), before jitter. */
    public Duration baseDelay(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("attempt numbers start at 1, got " + n);
        }
        // Doubling past 2^30 overflows long millis and is far beyond any cap anyway.
        long doubled = interval.toMillis() << Math.min(n - 1, 30);
        return doubled <= 0 || doubled >= max.toMillis() ? max : Duration.ofMillis(doubled);
    }

    /**
     * The delay to wait after failed attempt {@code n}, with jitter applied.
     *
     * @param random uniform numbers in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble}
     */
    public Duration delay(int n, DoubleSupplier random) {
        Duration base = baseDelay(n);
        if (jitter == 0) {
            return base;
        }
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofNanos(Math.round(base.toNanos() * factor));
    }
}
