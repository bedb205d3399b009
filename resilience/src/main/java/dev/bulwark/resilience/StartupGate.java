package dev.bulwark.resilience;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a dependency at start-up, before the server takes traffic: {@link #await} runs a
 * {@link Probe} (a {@code SELECT 1}, a Redis {@code PING}) until it succeeds or the attempts run out,
 * sleeping the {@link Backoff} delay between attempts. Built with {@link #builder(String, String, String)}.
 *
 * <p>Each failed attempt that will be retried logs one WARN line, without a stack trace, showing the
 * delay actually slept (rounded to 100 ms, at least 100 ms):
 * <pre>DB connection failed (attempt 1/10), retrying in 5 s</pre>
 * Its cause goes to DEBUG, {@linkplain Sanitizer sanitised}; a success after failures is logged at INFO.
 * When the last attempt fails the gate logs nothing more and throws one {@link StartupFailedException}:
 * <pre>database at 127.0.0.1:5432 unreachable after 10 attempts over 45 s; last error: Connection refused</pre>
 * The caller prints that message once and exits non-zero.
 *
 * <p>Every exception from the probe is retried, not only {@linkplain TransientFailures transient} ones:
 * while a dependency is still being provisioned it may refuse logins or lack a database for a while.
 *
 * <p>Defaults: 30 attempts, backoff from 2 s doubling to 30 s with 0.25 jitter (as {@link dev.bulwark.resilience.bundle.DependencyPolicy}),
 * {@link ThreadLocalRandom} for jitter, {@link Thread#sleep} between attempts and {@link System#nanoTime}
 * for the elapsed time. Immutable and thread-safe, provided the sleeper and random source are.
 */
public final class StartupGate {

    private static final Logger LOG = LoggerFactory.getLogger(StartupGate.class);
    private static final long NANOS_PER_TENTH = 100_000_000L;

    private final String label;
    private final String dependency;
    private final String address;
    private final int attempts;
    private final Backoff backoff;
    private final DoubleSupplier random;
    private final Sleeper sleeper;
    private final LongSupplier ticker;

    private StartupGate(Builder builder) {
        this.label = builder.label;
        this.dependency = builder.dependency;
        this.address = builder.address;
        this.attempts = builder.attempts;
        this.backoff = builder.backoff;
        this.random = builder.random;
        this.sleeper = builder.sleeper;
        this.ticker = builder.ticker;
    }

    /**
     * @param label      how log lines name the dependency: {@code DB}, {@code Redis}
     * @param dependency its name in errors, config and metrics: {@code database}, {@code redis}
     * @param address    the {@code host:port} to show; never include credentials (URL ones are removed anyway)
     */
    public static Builder builder(String label, String dependency, String address) {
        return new Builder(label, dependency, address);
    }

    /**
     * Returns once {@code probe} succeeds.
     *
     * @throws StartupFailedException after the last attempt failed, or if the thread was interrupted
     *                                (the interrupt flag is then set again)
     */
    public void await(Probe probe) {
        Objects.requireNonNull(probe, "probe");
        long start = ticker.getAsLong();
        String lastError = null;
        for (int attempt = 1; ; attempt++) {
            try {
                probe.check();
                if (attempt > 1) {
                    LOG.info("{} connection established (attempt {}/{})", label, attempt, attempts);
                }
                return;
            } catch (InterruptedException e) {
                throw interrupted(attempt, lastError, e);
            } catch (Exception e) {
                lastError = Sanitizer.message(e);
            }
            if (attempt >= attempts) {
                throw exhausted(Duration.ofNanos(ticker.getAsLong() - start), lastError);
            }
            Duration delay = roundedDelay(attempt);
            LOG.warn("{} connection failed (attempt {}/{}), retrying in {}", label, attempt, attempts, seconds(delay));
            LOG.debug("{} connection attempt {}/{} failed: {}", label, attempt, attempts, lastError);
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                throw interrupted(attempt, lastError, e);
            }
        }
    }

    /** Attempts per {@link #await}, at least 1. */
    public int attempts() {
        return attempts;
    }

    // Rounded before logging and sleeping so the line shows exactly the delay used.
    private Duration roundedDelay(int attempt) {
        long tenths = (backoff.delay(attempt, random).toNanos() + NANOS_PER_TENTH / 2) / NANOS_PER_TENTH;
        return Duration.ofNanos(Math.max(1, tenths) * NANOS_PER_TENTH);
    }

    private StartupFailedException exhausted(Duration elapsed, String lastError) {
        String message = dependency + " at " + address + " unreachable after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + " over " + seconds(elapsed)
                + "; last error: " + lastError;
        return new StartupFailedException(message, dependency, address, attempts, lastError, null);
    }

    private StartupFailedException interrupted(int attempt, String lastError, InterruptedException e) {
        // Whoever interrupted us (a shutdown hook, a test) must still see it.
        Thread.currentThread().interrupt();
        String message = dependency + " at " + address + " not reached: start-up wait interrupted after attempt "
                + attempt + "/" + attempts + (lastError == null ? "" : "; last error: " + lastError);
        return new StartupFailedException(message, dependency, address, attempt, lastError, e);
    }

    /** {@code 5 s}, {@code 2.4 s}, {@code 0.1 s}: tenths of a second, rounded half up, no trailing {@code .0}. */
    static String seconds(Duration duration) {
        long tenths = (duration.toNanos() + NANOS_PER_TENTH / 2) / NANOS_PER_TENTH;
        return BigDecimal.valueOf(tenths, 1).stripTrailingZeros().toPlainString() + " s";
    }

    /** Waits between attempts; tests pass one that records the delay and returns at once. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * Builds a {@link StartupGate}; see the class for defaults. Setters reject null and negative values.
     * Not thread-safe.
     */
    public static final class Builder {
        private final String label;
        private final String dependency;
        private final String address;
        private int attempts = 30;
        private Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30), 0.25);
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());
        private LongSupplier ticker = System::nanoTime;

        private Builder(String label, String dependency, String address) {
            this.label = requireText(label, "label");
            this.dependency = requireText(dependency, "dependency");
            this.address = Sanitizer.text(requireText(address, "address"));
        }

        /** How many times to call the probe: {@code maxRetries} from the config; 0 also means one attempt. */
        public Builder withAttempts(int attempts) {
            if (attempts < 0) {
                throw new IllegalArgumentException(dependency + " start-up attempts must be 0 or more, got " + attempts);
            }
            this.attempts = Math.max(1, attempts);
            return this;
        }

        /** The delays between attempts, normally {@link dev.bulwark.resilience.bundle.DependencyPolicy#startupGate the policy's start-up backoff}. */
        public Builder withBackoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** Uniform numbers in [0, 1) for the backoff's jitter. */
        public Builder withRandom(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public Builder withSleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** A monotonic clock in nanoseconds, for the elapsed time in the final error. */
        public Builder withTicker(LongSupplier nanoTime) {
            this.ticker = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        public StartupGate build() {
            return new StartupGate(this);
        }

        private static String requireText(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("start-up gate " + name + " must not be blank");
            }
            return value;
        }
    }
}
