package dev.bulwark.service.db;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background work on the same resilient path as requests: every {@code interval} it counts the items
 * on a handle of its own and publishes the gauges {@code items.count}, {@code items.countRefreshedAt}
 * (epoch ms) and {@code items.countFailures}. A failed run (database down, breaker open) is logged and
 * counted, and the next run happens on schedule: an outage never kills the job. Thread-safe.
 */
public final class ItemCountJob implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ItemCountJob.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final AtomicReference<Instant> refreshedAt = new AtomicReference<>();
    private final AtomicLong count = new AtomicLong(-1);
    private final AtomicLong failures = new AtomicLong();

    public ItemCountJob(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Schedules the job on a managed executor and registers its gauges. */
    public static void schedule(Environment environment, Jdbi jdbi, Duration interval) {
        ItemCountJob job = new ItemCountJob(jdbi, Clock.systemUTC());
        ScheduledExecutorService executor = environment.lifecycle().scheduledExecutorService("item-count").build();
        executor.scheduleWithFixedDelay(job, 0, interval.toMilliseconds(), TimeUnit.MILLISECONDS);
        MetricRegistry metrics = environment.metrics();
        metrics.register("items.count", (Gauge<Long>) job.count::get);
        metrics.register("items.countRefreshedAt", (Gauge<Long>) () -> {
            Instant at = job.refreshedAt.get();
            return at == null ? 0 : at.toEpochMilli();
        });
        metrics.register("items.countFailures", (Gauge<Long>) job.failures::get);
    }

    @Override
    public void run() {
        try {
            count.set(jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM items")
                    .mapTo(Long.class).one()));
            refreshedAt.set(clock.instant());
        } catch (RuntimeException e) {
            // A thrown exception would cancel every later run of a scheduled task.
            failures.incrementAndGet();
            LOG.warn("item count refresh failed, will try again on schedule: {}", e.getMessage());
        }
    }
}
