package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The gate never really sleeps: the sleeper records each delay and moves a fake ticker on by it, so the
 * elapsed time in the final error is exactly the sum of the delays.
 */
class StartupGateTest {

    private static final String DB_ADDRESS = "127.0.0.1:5432";
    // DB_RETRY_INTERVAL_MS=5000 DB_MAX_BACKOFF_SECONDS=5 RETRY_JITTER=0
    private static final Backoff EVERY_FIVE_SECONDS = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(5), 0);

    private final Logger logger = (Logger) LoggerFactory.getLogger(StartupGate.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<Duration> sleeps = new ArrayList<>();
    private final AtomicLong nanoTime = new AtomicLong();
    private final AtomicInteger probes = new AtomicInteger();

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
    }

    @AfterEach
    void releaseLogAndInterrupt() {
        logger.detachAppender(log);
        logger.setLevel(null);
        logger.setAdditive(true);
        // The interruption tests leave the flag set on purpose; the next test must not inherit it.
        Thread.interrupted();
    }

    @Test
    void shouldLogOneWarnLinePerRetryAtTheFixedFiveSecondInterval() {
        // Given the database refuses every connection, with the fixed 5 s schedule
        StartupGate gate = db().withAttempts(10).withBackoff(EVERY_FIVE_SECONDS).build();

        // When
        assertThatThrownBy(() -> gate.await(refusedTimes(Integer.MAX_VALUE)))
                .isInstanceOf(StartupFailedException.class);

        // Then every retried attempt logged one line with the 5 s it then slept; the last attempt logged nothing
        assertThat(warnings()).containsExactlyElementsOf(IntStream.rangeClosed(1, 9)
                .mapToObj(n -> "DB connection failed (attempt " + n + "/10), retrying in 5 s").toList());
        assertThat(sleeps).hasSize(9).containsOnly(Duration.ofSeconds(5));
        assertThat(probes).hasValue(10);
    }

    @Test
    void shouldFailWithOneErrorNamingTheDependencyAddressAttemptsAndLastCause() {
        // Given
        StartupGate gate = db().withAttempts(10).withBackoff(EVERY_FIVE_SECONDS).build();

        // When
        StartupFailedException failure = catchThrowableOfType(
                () -> gate.await(refusedTimes(Integer.MAX_VALUE)), StartupFailedException.class);

        // Then
        assertThat(failure).hasMessage("database at 127.0.0.1:5432 unreachable after 10 attempts over 45 s; "
                + "last error: Connection refused");
        assertThat(failure.dependency()).isEqualTo("database");
        assertThat(failure.address()).isEqualTo(DB_ADDRESS);
        assertThat(failure.attempts()).isEqualTo(10);
        assertThat(failure.lastError()).isEqualTo("Connection refused");
        // The caller prints the message once: the gate itself logs no error and no stack trace.
        assertThat(log.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .allMatch(e -> e.getThrowableProxy() == null);
    }

    @Test
    void shouldPrintItselfAsTheOneStartupFailedLineWhereACommandPrintsItsStackTrace() {
        // Given the gate gave up
        StartupGate gate = db().withAttempts(2).withBackoff(EVERY_FIVE_SECONDS).build();
        StartupFailedException failure = catchThrowableOfType(
                () -> gate.await(refusedTimes(Integer.MAX_VALUE)), StartupFailedException.class);

        // When a Dropwizard command reports it (Command.onError prints the stack trace to stderr)
        java.io.StringWriter stderr = new java.io.StringWriter();
        failure.printStackTrace(new java.io.PrintWriter(stderr, true));

        // Then stderr gets exactly one line, and no trace
        assertThat(stderr.toString()).isEqualTo("Start-up failed: database at 127.0.0.1:5432 unreachable after 2 "
                + "attempts over 5 s; last error: Connection refused" + System.lineSeparator());
    }

    @Test
    void shouldDoubleTheDelayUpToTheCap() {
        // Given
        StartupGate gate = StartupGate.builder("Redis", "redis", "redis:6379").withAttempts(6)
                .withBackoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 0))
                .withSleeper(this::recordSleep).withTicker(nanoTime::get).build();

        // When
        assertThatThrownBy(() -> gate.await(refusedTimes(Integer.MAX_VALUE)))
                .hasMessage("redis at redis:6379 unreachable after 6 attempts over 23 s; last error: Connection refused");

        // Then
        assertThat(sleeps).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 8L);
        assertThat(warnings()).containsExactly(
                "Redis connection failed (attempt 1/6), retrying in 1 s",
                "Redis connection failed (attempt 2/6), retrying in 2 s",
                "Redis connection failed (attempt 3/6), retrying in 4 s",
                "Redis connection failed (attempt 4/6), retrying in 8 s",
                "Redis connection failed (attempt 5/6), retrying in 8 s");
    }

    @Test
    void shouldPrintAndSleepTheSameJitteredDelayRoundedToATenthOfASecond() {
        // Given a 2 s base with 25% jitter: the random draws give the lowest, a middle and the highest delay
        StartupGate gate = redis().withAttempts(4)
                .withBackoff(new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(2), 0.25))
                .withRandom(draws(0.0, 0.9, 0.999999))
                .build();

        // When
        assertThatThrownBy(() -> gate.await(refusedTimes(Integer.MAX_VALUE)))
                .isInstanceOf(StartupFailedException.class);

        // Then 1.5 s, 2.4 s and 2.499999 s (shown and slept as 2.5 s): within ±25% and exactly what was logged
        assertThat(sleeps).containsExactly(Duration.ofMillis(1500), Duration.ofMillis(2400), Duration.ofMillis(2500));
        assertThat(warnings()).containsExactly(
                "Redis connection failed (attempt 1/4), retrying in 1.5 s",
                "Redis connection failed (attempt 2/4), retrying in 2.4 s",
                "Redis connection failed (attempt 3/4), retrying in 2.5 s");
    }

    @Test
    void shouldWaitAtLeastATenthOfASecond() {
        // Given a backoff shorter than the 100 ms the delays are rounded to
        StartupGate gate = db().withAttempts(2).withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(10), 0))
                .build();

        // When
        assertThatThrownBy(() -> gate.await(refusedTimes(Integer.MAX_VALUE)))
                .isInstanceOf(StartupFailedException.class);

        // Then
        assertThat(warnings()).containsExactly("DB connection failed (attempt 1/2), retrying in 0.1 s");
        assertThat(sleeps).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void shouldStopAtTheFirstSuccessfulAttempt() {
        // Given the database accepts connections from the third attempt on
        StartupGate gate = db().withAttempts(10).withBackoff(EVERY_FIVE_SECONDS).build();

        // When
        assertThatCode(() -> gate.await(refusedTimes(2))).doesNotThrowAnyException();

        // Then
        assertThat(probes).hasValue(3);
        assertThat(sleeps).hasSize(2);
        assertThat(warnings()).containsExactly(
                "DB connection failed (attempt 1/10), retrying in 5 s",
                "DB connection failed (attempt 2/10), retrying in 5 s");
        assertThat(lines(Level.INFO)).containsExactly("DB connection established (attempt 3/10)");
        assertThat(log.list).noneMatch(e -> e.getLevel() == Level.ERROR);
    }

    @Test
    void shouldReturnAtOnceAndLogNothingWhenTheDependencyIsAlreadyUp() {
        StartupGate gate = db().build();

        gate.await(probes::incrementAndGet);

        assertThat(probes).hasValue(1);
        assertThat(sleeps).isEmpty();
        assertThat(log.list).isEmpty();
    }

    @Test
    void shouldNeverShowAPasswordFromTheCauseInLogsOrTheError() {
        // Given a driver error that quotes the URL and the connection properties, credentials included
        StartupGate gate = redis().withAttempts(3).withBackoff(EVERY_FIVE_SECONDS).build();
        Probe leaky = () -> {
            throw new IllegalStateException("ping failed", new SQLException(
                    "cannot connect to redis://default:hunter2@cache:6379 with {password=hunter2}", "08001"));
        };

        // When
        StartupFailedException failure = catchThrowableOfType(() -> gate.await(leaky), StartupFailedException.class);

        // Then
        assertThat(failure).hasMessage("redis at cache:6379 unreachable after 3 attempts over 10 s; last error: "
                + "cannot connect to redis://cache:6379 with {password=***}");
        assertThat(failure).hasNoCause();
        assertThat(log.list).hasSize(4).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("hunter2"));
        assertThat(lines(Level.DEBUG)).contains(
                "Redis connection attempt 1/3 failed: cannot connect to redis://cache:6379 with {password=***}");
    }

    @Test
    void shouldMakeOneAttemptWhenAttemptsIsZero() {
        // Given DB_MAX_RETRIES=0
        StartupGate gate = db().withAttempts(0).build();

        // When
        StartupFailedException failure = catchThrowableOfType(
                () -> gate.await(refusedTimes(Integer.MAX_VALUE)), StartupFailedException.class);

        // Then
        assertThat(gate.attempts()).isEqualTo(1);
        assertThat(probes).hasValue(1);
        assertThat(sleeps).isEmpty();
        assertThat(log.list).isEmpty();
        assertThat(failure).hasMessage("database at 127.0.0.1:5432 unreachable after 1 attempt over 0 s; "
                + "last error: Connection refused");
    }

    @Test
    void shouldFailAndKeepTheInterruptWhenInterruptedWhileWaiting() {
        // Given a sleep that is interrupted on the second wait (a shutdown during start-up)
        AtomicInteger waits = new AtomicInteger();
        StartupGate gate = db().withAttempts(10).withBackoff(EVERY_FIVE_SECONDS)
                .withSleeper(delay -> {
                    if (waits.incrementAndGet() == 2) {
                        throw new InterruptedException("sleep interrupted");
                    }
                })
                .build();

        // When
        StartupFailedException failure = catchThrowableOfType(
                () -> gate.await(refusedTimes(Integer.MAX_VALUE)), StartupFailedException.class);

        // Then
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(failure).hasMessage("database at 127.0.0.1:5432 not reached: start-up wait interrupted after "
                + "attempt 2/10; last error: Connection refused");
        assertThat(failure.attempts()).isEqualTo(2);
        assertThat(probes).hasValue(2);
    }

    @Test
    void shouldFailAndKeepTheInterruptWhenTheProbeIsInterrupted() {
        StartupGate gate = db().withAttempts(10).build();

        assertThatThrownBy(() -> gate.await(() -> {
            throw new InterruptedException();
        })).isInstanceOf(StartupFailedException.class)
                .hasMessage("database at 127.0.0.1:5432 not reached: start-up wait interrupted after attempt 1/10");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(sleeps).isEmpty();
    }

    @Test
    void shouldRejectNegativeAttemptsAndMissingSettings() {
        assertThatThrownBy(() -> db().withAttempts(-1)).hasMessageContaining("attempts must be 0 or more, got -1");
        assertThatThrownBy(() -> StartupGate.builder("DB", "database", " ")).hasMessageContaining("address");
        assertThatThrownBy(() -> db().withBackoff(null)).hasMessageContaining("backoff");
    }

    private StartupGate.Builder db() {
        return StartupGate.builder("DB", "database", DB_ADDRESS).withSleeper(this::recordSleep)
                .withTicker(nanoTime::get);
    }

    private StartupGate.Builder redis() {
        return StartupGate.builder("Redis", "redis", "cache:6379").withSleeper(this::recordSleep)
                .withTicker(nanoTime::get);
    }

    private void recordSleep(Duration delay) {
        sleeps.add(delay);
        nanoTime.addAndGet(delay.toNanos());
    }

    /** A probe that is refused {@code failures} times, then succeeds. */
    private Probe refusedTimes(int failures) {
        return () -> {
            if (probes.incrementAndGet() <= failures) {
                throw new SQLException("Connection to " + DB_ADDRESS + " refused.", "08001",
                        new ConnectException("Connection refused"));
            }
        };
    }

    private static DoubleSupplier draws(double... values) {
        AtomicInteger next = new AtomicInteger();
        return () -> values[next.getAndIncrement()];
    }

    private List<String> warnings() {
        return lines(Level.WARN);
    }

    private List<String> lines(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
