package dev.bulwark.resilience.prometheus;

import dev.bulwark.resilience.DependencyRegistry;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /metrics/prometheus} on the admin port, in the Prometheus text format (or OpenMetrics when the
 * scraper asks for it): the {@code bulwark_*} families of a {@link ResilienceCollector}, {@code bulwark_ready}
 * (1 while readiness passes, else 0), Dropwizard's registry through a {@link DropwizardBridge}
 * ({@code dropwizard_*}), and whatever the application adds to the same {@link PrometheusRegistry}. Stateless.
 */
public final class PrometheusEndpoint {

    /** Where it is served on the admin port. */
    public static final String PATH = "/metrics/prometheus";

    private PrometheusEndpoint() {
    }

    /** Fills {@code registry} with the families above and serves it at {@link #PATH} on {@code environment}'s admin port. */
    public static void serve(Environment environment, PrometheusRegistry registry, DependencyRegistry dependencies) {
        register(registry, dependencies, new DropwizardBridge(environment.metrics()),
                new Readiness(environment.health()));
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(registry)).addMapping(PATH);
    }

    static void register(PrometheusRegistry registry, DependencyRegistry dependencies, DropwizardBridge bridge,
                         BooleanSupplier ready) {
        registry.register(new ResilienceCollector(dependencies));
        GaugeWithCallback.builder().name("bulwark_ready")
                .help("1 while the application's readiness check passes, else 0")
                .callback(gauge -> gauge.call(ready.getAsBoolean() ? 1 : 0))
                .register(registry);
        registry.register(bridge);
    }
}
