package dev.bulwark.resilience;

import java.util.function.LongSupplier;

/**
 * Counts and times each top-level call to one dependency once, by its {@link CallOutcome}: a call that runs
 * inside one already being counted on the same thread (a unit's statements, a retry's attempts) is part of it,
 * and a retry anywhere inside marks the whole call as retried. Thread-safe: each thread tracks its own call.
 */
final class TopLevelCalls {

    private final ResilienceStats stats;
    private final LongSupplier nanoTime;
    private final ThreadLocal<Current> current = ThreadLocal.withInitial(Current::new);

    TopLevelCalls(ResilienceStats stats, LongSupplier nanoTime) {
        this.stats = stats;
        this.nanoTime = nanoTime;
    }

    /** Runs {@code call}, and records it when it is the outermost one on this thread. */
    <T> T track(ThrowingSupplier<T> call) throws Exception {
        Current top = current.get();
        if (top.running) {
            return call.get();
        }
        top.running = true;
        top.retried = false;
        long start = nanoTime.getAsLong();
        boolean succeeded = false;
        try {
            T result = call.get();
            succeeded = true;
            return result;
        } finally {
            top.running = false;
            stats.recordCall(CallOutcome.of(succeeded, top.retried), nanoTime.getAsLong() - start);
        }
    }

    /** Marks the call running on this thread as retried (a retry outside any tracked call marks nothing). */
    void retried() {
        Current top = current.get();
        if (top.running) {
            top.retried = true;
        }
    }

    private static final class Current {
        boolean running;
        boolean retried;
    }
}
