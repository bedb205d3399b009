package dev.bulwark.resilience;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a dependency in the background while its breaker is open, so that recovery follows the
 * dependency and not a timer: after {@link #start()} it runs the {@link Probe} on its own thread at the
 * delays of its {@link ProbeSchedule} until one succeeds, then calls {@code onRecovered} (which closes the
 * breaker) and stops. A probe is never a client's request. Thread-safe; {@link #close()} ends its thread.
 */
final class Prober implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Prober.class);

    private final String name;
    private final Probe probe;
    private final ProbeSchedule schedule;
    private final Runnable onRecovered;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService executor;
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private boolean active;
    private long openedAt;
    private long nextAt;
    private ScheduledFuture<?> pending;

    Prober(String name, Probe probe, ProbeSchedule schedule, Runnable onRecovered, LongSupplier nanoTime) {
        this.name = name;
        this.probe = probe;
        this.schedule = schedule;
        this.onRecovered = onRecovered;
        this.nanoTime = nanoTime;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bulwark-prober-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts probing (the breaker has just opened); nothing if already probing. */
    synchronized void start() {
        if (active || executor.isShutdown()) {
            return;
        }
        active = true;
        openedAt = nanoTime.getAsLong();
        scheduleNext();
    }

    /** Stops probing (the breaker was closed some other way). */
    synchronized void stop() {
        active = false;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** Time until the next probe: zero when not probing or when a probe is due or running. */
    synchronized Duration untilNextProbe() {
        return active ? Duration.ofNanos(Math.max(0, nextAt - nanoTime.getAsLong())) : Duration.ZERO;
    }

    /** Probes that found the dependency answering, since start-up. */
    long succeeded() {
        return succeeded.sum();
    }

    /** Probes that found it still down, since start-up. */
    long failed() {
        return failed.sum();
    }

    private void scheduleNext() {
        Duration openFor = Duration.ofNanos(nanoTime.getAsLong() - openedAt);
        Duration delay = schedule.delay(openFor, ThreadLocalRandom.current()::nextDouble);
        nextAt = nanoTime.getAsLong() + delay.toNanos();
        pending = executor.schedule(this::probeOnce, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void probeOnce() {
        synchronized (this) {
            if (!active) {
                return;
            }
        }
        try {
            probe.check();
        } catch (Exception | LinkageError failure) {
            failed.increment();
            LOG.debug("{} probe failed: {}", name, Sanitizer.message(failure));
            synchronized (this) {
                if (active) {
                    scheduleNext();
                }
            }
            return;
        }
        succeeded.increment();
        long openMillis;
        synchronized (this) {
            if (!active) {
                return;
            }
            active = false;
            pending = null;
            openMillis = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - openedAt);
        }
        LOG.info("{} answered a probe after {} ms with its circuit breaker open: closing it", name, openMillis);
        onRecovered.run();
    }

    @Override
    public void close() {
        stop();
        executor.shutdownNow();
    }
}
