package dev.bulwark.service.cache;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.bulwark.service.db.CacheOutboxDao;
import dev.bulwark.service.db.PendingInvalidation;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the cache invalidations the outbox owes: every write leaves one row, which its writer does not remove
 * (that would cost the write another round trip to the database). Every run, a relay prunes outbox rows last
 * written over one cache TTL ago (every copy and floor they guard has expired by then) and, while this
 * instance's Redis breaker is closed, takes up to {@value #BATCH} rows that have been pending for over
 * {@link #GRACE}: a row whose version the item's floor in Redis has reached was delivered (by its writer,
 * usually) and is only removed; any other is applied as the writer would have, floor raised and cached copy
 * deleted ({@link ItemCache#applyOutboxed}). Then one statement removes the rows delivered, each unless a later
 * write raised its version. One runs on every instance; several at once are safe because applying an
 * invalidation is idempotent (the floor only rises) and every delete is conditional on the version delivered.
 *
 * <p>Defaults: scheduled every {@code cache.outboxInterval} (250 ms); grace 100 ms, so the relay does not
 * repeat a writer's own invalidation, which normally follows its commit within a few milliseconds. The
 * staleness another instance can see is bounded by grace + interval + one batch. Publishes the gauges
 * {@code cache.outbox.applied}, {@code cache.outbox.pruned} and {@code cache.outbox.failures}. A failed run
 * (database or Redis down) is counted and logged once per outage, and the next run happens on schedule.
 * Thread-safe.
 */
public final class CacheOutboxRelay implements Runnable {

    /** How long a row is left to its writer before a relay applies it. */
    public static final java.time.Duration GRACE = java.time.Duration.ofMillis(100);

    /** Rows applied, and rows pruned, per run at most. */
    public static final int BATCH = 500;

    private static final Logger LOG = LoggerFactory.getLogger(CacheOutboxRelay.class);

    private final CacheOutboxDao outbox;
    private final ItemCache cache;
    private final long ttlSeconds;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong pruned = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean failing = new AtomicBoolean();

    /** A relay between {@code outbox} and {@code cache}, whose entries live {@code ttlSeconds}. */
    public CacheOutboxRelay(CacheOutboxDao outbox, ItemCache cache, int ttlSeconds) {
        this.outbox = outbox;
        this.cache = cache;
        this.ttlSeconds = ttlSeconds;
    }

    /** Schedules a relay on a managed executor every {@code interval} and registers its gauges. */
    public static CacheOutboxRelay schedule(Environment environment, CacheOutboxDao outbox, ItemCache cache,
            int ttlSeconds, Duration interval) {
        CacheOutboxRelay relay = new CacheOutboxRelay(outbox, cache, ttlSeconds);
        ScheduledExecutorService executor = environment.lifecycle().scheduledExecutorService("cache-outbox").build();
        executor.scheduleWithFixedDelay(relay, interval.toMilliseconds(), interval.toMilliseconds(),
                TimeUnit.MILLISECONDS);
        MetricRegistry metrics = environment.metrics();
        metrics.register("cache.outbox.applied", (Gauge<Long>) relay.applied::get);
        metrics.register("cache.outbox.pruned", (Gauge<Long>) relay.pruned::get);
        metrics.register("cache.outbox.failures", (Gauge<Long>) relay.failures::get);
        return relay;
    }

    @Override
    public void run() {
        try {
            pruned.addAndGet(outbox.prune(ttlSeconds, BATCH));
            if (cache.reachable()) {
                relayDue();
            }
            if (failing.compareAndSet(true, false)) {
                LOG.info("cache outbox relay running again");
            }
        } catch (RuntimeException e) {
            // A thrown exception would cancel every later run of a scheduled task.
            failures.incrementAndGet();
            if (failing.compareAndSet(false, true)) {
                LOG.warn("cache outbox relay failed, will try again on schedule: {}", e.getMessage());
            }
        }
    }

    private void relayDue() {
        List<PendingInvalidation> due = outbox.due(GRACE.toMillis(), BATCH);
        List<PendingInvalidation> delivered = new ArrayList<>(due.size());
        for (PendingInvalidation row : due) {
            if (!cache.applyOutboxed(row.id(), row.version())) {
                // Redis stopped answering: the rest stay for the next run (here or on another instance).
                break;
            }
            delivered.add(row);
        }
        if (!delivered.isEmpty()) {
            // One statement for the whole batch: with a slow database each round trip costs its latency.
            outbox.forget(delivered.stream().map(PendingInvalidation::id).toArray(String[]::new),
                    delivered.stream().mapToLong(PendingInvalidation::version).toArray());
            applied.addAndGet(delivered.size());
        }
    }

    /** Invalidations this relay has applied. */
    public long applied() {
        return applied.get();
    }

    /** Rows this relay has deleted unapplied, past the cache TTL. */
    public long pruned() {
        return pruned.get();
    }
}
