package dev.bulwark.resilience.prometheus;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Sampling;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Whatever a Dropwizard {@link MetricRegistry} holds (JVM, Jetty, request timers, pool gauges, the
 * {@code resilience.*} gauges), read at each scrape as Prometheus families named {@code dropwizard_<name>}, where
 * {@code <name>} is the Dropwizard name {@linkplain #name(String) in snake case}:
 * <ul>
 *   <li>a gauge whose value is a number: a gauge (other gauges are left out); a Dropwizard counter, which may go
 *       down, is a gauge too;</li>
 *   <li>a meter: a counter of its events, {@code dropwizard_<name>_total};</li>
 *   <li>a timer: a summary in seconds, {@code dropwizard_<name>_seconds}, with its count and the 0.5, 0.75, 0.95,
 *       0.98, 0.99 and 0.999 quantiles of Dropwizard's reservoir;</li>
 *   <li>a histogram: a summary of its values, with the same quantiles.</li>
 * </ul>
 * A name that another metric already took (two Dropwizard names can sanitise alike) is left out. Thread-safe: it
 * holds nothing but the registry.
 */
public final class DropwizardBridge implements MultiCollector {

    /** The prefix of every family it makes. */
    public static final String PREFIX = "dropwizard_";

    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};
    // A leading Java package (io.dropwizard.jetty.MutableServletContextHandler.requests): the class name says enough.
    private static final Pattern PACKAGE = Pattern.compile("^(?:io|org|com|net|dev|ch)(?:\\.[a-z][a-z0-9]*)+\\.(?=[A-Z])");
    // Suffixes Prometheus reserves for counters, summaries and histograms; a gauge named so is misread.
    private static final List<String> RESERVED = List.of("_total", "_count", "_sum", "_bucket", "_created", "_info");

    private final MetricRegistry registry;

    public DropwizardBridge(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    public MetricSnapshots collect() {
        MetricSnapshots.Builder families = MetricSnapshots.builder();
        Set<String> taken = new HashSet<>();
        for (Map.Entry<String, Metric> entry : registry.getMetrics().entrySet()) {
            MetricSnapshot family = family(name(entry.getKey()), entry.getKey(), entry.getValue());
            if (family != null && expositionNames(family).stream().noneMatch(taken::contains)) {
                taken.addAll(expositionNames(family));
                families.metricSnapshot(family);
            }
        }
        return families.build();
    }

    /**
     * The family name for the Dropwizard name {@code dropwizardName}: a leading Java package dropped, camelCase
     * split, lower case, every run of other characters one {@code _}, prefixed {@value #PREFIX}. For example
     * {@code io.dropwizard.jetty.MutableServletContextHandler.get-requests} becomes
     * {@code dropwizard_mutable_servlet_context_handler_get_requests}.
     */
    static String name(String dropwizardName) {
        String name = PACKAGE.matcher(dropwizardName).replaceFirst("")
                .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .replaceAll("([A-Z])([A-Z][a-z])", "$1_$2")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_|_$", "");
        return PREFIX + name;
    }

    private static MetricSnapshot family(String name, String dropwizardName, Metric metric) {
        String help = "Dropwizard metric " + dropwizardName;
        if (metric instanceof Gauge<?> gauge) {
            return value(gauge) instanceof Number value ? gauge(name, help, value.doubleValue()) : null;
        }
        if (metric instanceof com.codahale.metrics.Counter counter) {
            return gauge(name, help, counter.getCount());
        }
        if (metric instanceof Timer timer) {
            return summary(name + "_seconds", help, timer, NANOS_PER_SECOND);
        }
        if (metric instanceof com.codahale.metrics.Histogram histogram) {
            return summary(name, help, histogram, 1);
        }
        if (metric instanceof Counting meter) {
            return CounterSnapshot.builder().name(name).help(help)
                    .dataPoint(CounterDataPointSnapshot.builder().value(Math.max(0, meter.getCount())).build())
                    .build();
        }
        return null;
    }

    // A gauge whose source has gone (a closed pool) must not fail the whole scrape.
    private static Object value(Gauge<?> gauge) {
        try {
            return gauge.getValue();
        } catch (RuntimeException failure) {
            return null;
        }
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        for (String suffix : RESERVED) {
            if (name.endsWith(suffix)) {
                name = name + "_value";
            }
        }
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static <T extends Counting & Sampling> SummarySnapshot summary(String name, String help, T metric,
                                                                          double divisor) {
        Snapshot snapshot = metric.getSnapshot();
        Quantiles.Builder quantiles = Quantiles.builder();
        for (double quantile : QUANTILES) {
            quantiles.quantile(new Quantile(quantile, snapshot.getValue(quantile) / divisor));
        }
        return SummarySnapshot.builder().name(name).help(help)
                .dataPoint(SummaryDataPointSnapshot.builder().count(metric.getCount()).quantiles(quantiles.build()).build())
                .build();
    }

    // Every name the family writes: a name another family's _count or _total would repeat is a clash too.
    private static Set<String> expositionNames(MetricSnapshot family) {
        String name = family.getMetadata().getPrometheusName();
        if (family instanceof SummarySnapshot) {
            return Set.of(name, name + "_count", name + "_sum");
        }
        if (family instanceof CounterSnapshot) {
            return Set.of(name, name + "_total");
        }
        return Set.of(name);
    }
}
