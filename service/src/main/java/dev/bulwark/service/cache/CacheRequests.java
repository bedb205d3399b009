package dev.bulwark.service.cache;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;

/**
 * {@code bulwark_cache_requests_total{result}}: reads of the cache by result, {@code hit}, {@code miss}, or
 * {@code bypass} (Redis not consulted: unavailable, its breaker open, or invalidations still owed). Every result
 * starts at 0. Thread-safe.
 */
public final class CacheRequests {

    private final Counter counter;

    private CacheRequests(Counter counter) {
        this.counter = counter;
        for (CacheStatus status : CacheStatus.values()) {
            counter.initLabelValues(label(status));
        }
    }

    /** The counter, registered in {@code registry} (the bundle's, served at {@code /metrics/prometheus}). */
    public static CacheRequests registeredIn(PrometheusRegistry registry) {
        return new CacheRequests(builder().register(registry));
    }

    /** A counter in no registry, for a cache nobody scrapes. */
    public static CacheRequests unregistered() {
        return new CacheRequests(builder().build());
    }

    private static Counter.Builder builder() {
        return Counter.builder().name("bulwark_cache_requests")
                .help("Reads of the item cache by result: hit, miss, or bypass (Redis not consulted)")
                .labelNames("result");
    }

    void record(CacheStatus status) {
        counter.labelValues(label(status)).inc();
    }

    /** How many reads had {@code status}. */
    public long count(CacheStatus status) {
        return (long) counter.labelValues(label(status)).get();
    }

    private static String label(CacheStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
