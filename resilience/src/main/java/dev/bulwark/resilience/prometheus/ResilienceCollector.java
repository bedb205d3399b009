package dev.bulwark.resilience.prometheus;

import dev.bulwark.resilience.CallDurations;
import dev.bulwark.resilience.CallOutcome;
import dev.bulwark.resilience.CircuitState;
import dev.bulwark.resilience.Dependency;
import dev.bulwark.resilience.DependencyRegistry;
import dev.bulwark.resilience.Resilient;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Every dependency's resilience in Prometheus' terms, read live from the {@link DependencyRegistry} at each
 * scrape (so a dependency built after registration shows up). Label {@code name} is the dependency's name; no
 * other label carries anything but one of the fixed values listed:
 * <ul>
 *   <li>{@code bulwark_circuitbreaker_state{name,state}}: 1 for the current state, 0 for the other two
 *       ({@code closed}, {@code open}, {@code half_open});</li>
 *   <li>{@code bulwark_circuitbreaker_transitions_total{name,from,to}}: every pair of distinct states, 0 until it
 *       happens, so that a short opening between two scrapes is still counted;</li>
 *   <li>{@code bulwark_circuitbreaker_not_permitted_calls_total{name}}: calls refused because the breaker was open;</li>
 *   <li>{@code bulwark_retry_calls_total{name,kind}}: top-level calls by {@link CallOutcome};</li>
 *   <li>{@code bulwark_retry_budget_remaining{name}}: retries the budget allows now;</li>
 *   <li>{@code bulwark_concurrency_limit}, {@code bulwark_concurrency_inflight},
 *       {@code bulwark_concurrency_rejected_total} {@code {name}}: only for dependencies with a concurrency limit;</li>
 *   <li>{@code bulwark_probe_total{name,outcome}}: the prober's checks, {@code success} or {@code failure};</li>
 *   <li>{@code bulwark_call_duration_seconds{name}}: a histogram of top-level call durations.</li>
 * </ul>
 * Thread-safe: it holds nothing but the registry.
 */
public final class ResilienceCollector implements MultiCollector {

    private final DependencyRegistry dependencies;

    public ResilienceCollector(DependencyRegistry dependencies) {
        this.dependencies = dependencies;
    }

    @Override
    public MetricSnapshots collect() {
        List<Resilient> all = dependencies.all().stream().map(Dependency::resilient).toList();
        List<Resilient> limited = all.stream().filter(r -> r.concurrencyLimit().isPresent()).toList();
        MetricSnapshots.Builder families = MetricSnapshots.builder()
                .metricSnapshot(gauge("bulwark_circuitbreaker_state",
                        "1 for the breaker's current state, 0 for the others", all, (r, points) -> {
                            for (CircuitState state : CircuitState.values()) {
                                points.accept(Labels.of("name", r.name(), "state", label(state)),
                                        r.state() == state ? 1.0 : 0.0);
                            }
                        }))
                .metricSnapshot(counter("bulwark_circuitbreaker_transitions",
                        "Breaker transitions from one state to another, since start-up", all, (r, points) -> {
                            for (CircuitState from : CircuitState.values()) {
                                for (CircuitState to : CircuitState.values()) {
                                    if (from != to) {
                                        points.accept(Labels.of("name", r.name(), "from", label(from), "to", label(to)),
                                                (double) r.stats().transitions(from, to));
                                    }
                                }
                            }
                        }))
                .metricSnapshot(counter("bulwark_circuitbreaker_not_permitted_calls",
                        "Calls refused at once because the breaker was open", all,
                        (r, points) -> points.accept(Labels.of("name", r.name()), (double) r.stats().rejected())))
                .metricSnapshot(counter("bulwark_retry_calls",
                        "Top-level calls by whether they succeeded and whether they were retried", all, (r, points) -> {
                            for (CallOutcome kind : CallOutcome.values()) {
                                points.accept(Labels.of("name", r.name(), "kind", kind.label()),
                                        (double) r.stats().calls(kind));
                            }
                        }))
                .metricSnapshot(gauge("bulwark_retry_budget_remaining", "Retries the retry budget allows now", all,
                        (r, points) -> points.accept(Labels.of("name", r.name()), (double) r.budgetRemaining())))
                .metricSnapshot(counter("bulwark_probe", "The prober's checks of a dependency behind an open breaker",
                        all, (r, points) -> {
                            points.accept(Labels.of("name", r.name(), "outcome", "success"), (double) r.probesSucceeded());
                            points.accept(Labels.of("name", r.name(), "outcome", "failure"), (double) r.probesFailed());
                        }))
                .metricSnapshot(durations(all));
        if (!limited.isEmpty()) {
            families.metricSnapshot(gauge("bulwark_concurrency_limit", "The adaptive concurrency limit now", limited,
                            (r, points) -> points.accept(Labels.of("name", r.name()),
                                    (double) r.concurrencyLimit().orElseThrow().limit())))
                    .metricSnapshot(gauge("bulwark_concurrency_inflight", "Units of work holding a permit now", limited,
                            (r, points) -> points.accept(Labels.of("name", r.name()),
                                    (double) r.concurrencyLimit().orElseThrow().inflight())))
                    .metricSnapshot(counter("bulwark_concurrency_rejected",
                            "Units of work refused over the concurrency limit", limited,
                            (r, points) -> points.accept(Labels.of("name", r.name()),
                                    (double) r.concurrencyLimit().orElseThrow().rejected())));
        }
        return families.build();
    }

    /** {@code half_open} for HALF_OPEN: the lower-case name, as a label value. */
    static String label(CircuitState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static GaugeSnapshot gauge(String name, String help, List<Resilient> all,
                                       BiConsumer<Resilient, BiConsumer<Labels, Double>> read) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
        all.forEach(r -> read.accept(r, (labels, value) ->
                gauge.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build())));
        return gauge.build();
    }

    private static CounterSnapshot counter(String name, String help, List<Resilient> all,
                                           BiConsumer<Resilient, BiConsumer<Labels, Double>> read) {
        CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
        all.forEach(r -> read.accept(r, (labels, value) ->
                counter.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build())));
        return counter.build();
    }

    private static HistogramSnapshot durations(List<Resilient> all) {
        HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name("bulwark_call_duration_seconds")
                .help("How long top-level calls took, retries and waits included");
        for (Resilient r : all) {
            CallDurations durations = r.stats().callDurations();
            double[] bounds = durations.upperBoundsSeconds();
            double[] withInf = Arrays.copyOf(bounds, bounds.length + 1);
            withInf[bounds.length] = Double.POSITIVE_INFINITY;
            histogram.dataPoint(HistogramDataPointSnapshot.builder().labels(Labels.of("name", r.name()))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(withInf, durations.counts()))
                    .sum(durations.sumSeconds())
                    .build());
        }
        return histogram.build();
    }
}
