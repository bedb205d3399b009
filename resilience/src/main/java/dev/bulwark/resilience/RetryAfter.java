package dev.bulwark.resilience;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The {@code Retry-After} a refused call tells its client: the time the dependency needs (until the breaker's
 * next probe, or a second when it is busy), in whole seconds and at least one, plus a random number of seconds
 * up to {@code spread} of it (at least one second when {@code spread} is above 0). Every instance of a fleet
 * refused by the same outage would otherwise tell every client the same value, and the clients would come back
 * in one herd; spread, the retries of a 1 s answer arrive over 1 to 2 s, those of a 4 s answer over 4 to 6 s.
 * Default spread 0.5. Immutable; thread-safe when {@code random} is.
 *
 * @param spread the largest extra delay, as a share of the wait; from 0 (none) to 1
 * @param random uniform numbers in [0, 1)
 */
public record RetryAfter(double spread, DoubleSupplier random) {

    /** The default: up to half the wait more, at random. */
    public static final double DEFAULT_SPREAD = 0.5;

    public RetryAfter {
        if (!(spread >= 0 && spread <= 1)) {
            throw new IllegalArgumentException("Retry-After spread must be between 0 and 1, got " + spread);
        }
    }

    /** A spread of {@code spread} drawn from {@link ThreadLocalRandom}. */
    public static RetryAfter spread(double spread) {
        return new RetryAfter(spread, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The whole seconds to tell a client that should come back once {@code wait} has passed. */
    public Duration after(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        long span = spread == 0 ? 0 : Math.max(1, Math.round(seconds * spread));
        long extra = Math.min(span, (long) Math.floor(random.getAsDouble() * (span + 1)));
        return Duration.ofSeconds(seconds + extra);
    }
}
