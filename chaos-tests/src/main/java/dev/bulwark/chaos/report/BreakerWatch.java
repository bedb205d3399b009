package dev.bulwark.chaos.report;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the breakers' states (e.g. from the admin port's {@code /pool-stats}) on a timer of its own and
 * records them in a {@link BreakerLog}, for a scenario's chart. A poll that fails (the admin port busy or
 * gone) is skipped: the band then shows the last state seen a little longer. Default interval 50 ms. Close
 * once; thread-safe.
 */
public final class BreakerWatch implements AutoCloseable {

    /** How often the states are polled unless told otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(50);

    private static final Logger LOG = LoggerFactory.getLogger(BreakerWatch.class);

    private final BreakerLog log = new BreakerLog();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "chaos-breaker-watch");
        thread.setDaemon(true);
        return thread;
    });

    private BreakerWatch(Supplier<Map<String, String>> states, LongSupplier ticker, Duration interval) {
        scheduler.scheduleWithFixedDelay(() -> poll(states, ticker), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts polling {@code states} (state by dependency name) every {@code interval}, stamping each poll with
     * {@code ticker} ({@link System#nanoTime()} in a scenario) taken when the answer came.
     */
    public static BreakerWatch start(Supplier<Map<String, String>> states, LongSupplier ticker, Duration interval) {
        return new BreakerWatch(states, ticker, interval);
    }

    /** What was seen so far. */
    public BreakerLog log() {
        return log;
    }

    private void poll(Supplier<Map<String, String>> states, LongSupplier ticker) {
        try {
            Map<String, String> now = states.get();
            long nanos = ticker.getAsLong();
            now.forEach((dependency, state) -> log.observe(dependency, state, nanos));
        } catch (RuntimeException e) {
            // The admin port may be slow or closing at the end of a test; the next poll tries again.
            LOG.debug("could not poll the breakers' states", e);
        }
    }

    /** Stops polling and waits (briefly) for a poll under way, so the log no longer changes. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
