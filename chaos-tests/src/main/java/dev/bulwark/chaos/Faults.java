package dev.bulwark.chaos;

import eu.rekawek.toxiproxy.Proxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Timed fault changes for a scenario: "enable the proxy again in 1 s", "flap it every 300 ms for 10 s".
 * Each returns a future that completes when the change is done, so a test awaits that instead of
 * sleeping. Changes run on one scheduler thread, in order. Close once per test. Thread-safe.
 */
public final class Faults implements AutoCloseable {

    /** A change made through Toxiproxy's API. */
    @FunctionalInterface
    public interface Change {
        void apply() throws IOException;
    }

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "chaos-faults");
        thread.setDaemon(true);
        return thread;
    });

    /** Applies {@code change} after {@code delay}; the future fails if the change did. */
    public CompletableFuture<Void> after(Duration delay, Change change) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduler.schedule(() -> {
            try {
                change.apply();
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
        return done;
    }

    /**
     * Disables {@code proxy} now, then toggles it every {@code every} until {@code total} has passed, and
     * leaves it enabled. The future completes once it is enabled for good.
     */
    public CompletableFuture<Void> flap(Proxy proxy, Duration every, Duration total) {
        AtomicBoolean up = new AtomicBoolean(true);
        ScheduledFuture<?> toggling = scheduler.scheduleAtFixedRate(() -> {
            try {
                if (up.getAndSet(!up.get())) {
                    proxy.disable();
                } else {
                    proxy.enable();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return after(total, () -> {
            toggling.cancel(false);
            proxy.enable();
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
