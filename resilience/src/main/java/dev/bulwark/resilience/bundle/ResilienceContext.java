package dev.bulwark.resilience.bundle;

import com.codahale.metrics.health.HealthCheck;
import dev.bulwark.resilience.Dependency;
import dev.bulwark.resilience.DependencyRegistry;
import dev.bulwark.resilience.ResilienceMetrics;
import dev.bulwark.resilience.health.CircuitBreakerHealthCheck;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the {@link ResilienceBundle} leaves in an application's environment for the factories to find: the
 * configured policies, the registry of built dependencies, and the {@link PrometheusRegistry} served at
 * {@code GET /metrics/prometheus} on the admin port, to which an application may add its own metrics
 * ({@code Counter.builder().name(...).register(ResilienceContext.of(environment).prometheus())}). Kept as an
 * attribute of the admin context, as Dropwizard keeps its metric registry for the admin servlets, so there is no
 * static state. Thread-safe.
 */
public final class ResilienceContext {

    static final String ATTRIBUTE = ResilienceContext.class.getName();

    private final ResilienceFactory settings;
    private final DependencyRegistry registry = new DependencyRegistry();
    private final PrometheusRegistry prometheus = new PrometheusRegistry();

    ResilienceContext(ResilienceFactory settings) {
        this.settings = settings;
    }

    /**
     * The context the bundle put in {@code environment}.
     *
     * @throws IllegalStateException if the application did not add a {@link ResilienceBundle}
     */
    public static ResilienceContext of(Environment environment) {
        if (environment.getAdminContext().getAttribute(ATTRIBUTE) instanceof ResilienceContext context) {
            return context;
        }
        throw new IllegalStateException("resilient factories need the ResilienceBundle: add "
                + "bootstrap.addBundle(new ResilienceBundle<>(YourConfiguration::getResilience)) to initialize()");
    }

    /** The settings configured for the dependency called {@code name}, or the defaults. */
    public DependencyPolicy policy(String name) {
        return settings.policy(name);
    }

    /**
     * The application's Prometheus registry, served at {@code GET /metrics/prometheus} on the admin port. It
     * already holds the {@code bulwark_*} resilience families, {@code bulwark_ready} and Dropwizard's registry
     * bridged as {@code dropwizard_*}; names an application adds must not start with either prefix.
     */
    public PrometheusRegistry prometheus() {
        return prometheus;
    }

    /** Every dependency built so far. */
    public DependencyRegistry registry() {
        return registry;
    }

    /**
     * Adopts a built dependency: registers it, its health check (the breaker's state, else its direct check;
     * {@code wording} may reword the result, e.g. as degraded), its metrics, and a lifecycle that stops its
     * prober and then runs {@code onStop} (closing the client).
     */
    public void adopt(Environment environment, Dependency dependency, UnaryOperator<HealthCheck> wording,
                      Runnable onStop) {
        registry.register(dependency);
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                dependency.resilient().close();
                onStop.run();
            }
        });
        environment.healthChecks().register(dependency.name(),
                wording.apply(new CircuitBreakerHealthCheck(dependency)));
        ResilienceMetrics.register(environment.metrics(), dependency.resilient());
    }

    // A configured name that no factory built is a typo or a leftover: say so instead of ignoring it.
    void checkEveryConfiguredDependencyWasBuilt() {
        List<String> unknown = new ArrayList<>();
        for (String name : settings.getDependencies().keySet()) {
            if (registry.get(name).isEmpty()) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("resilience.dependencies configures " + String.join(", ", unknown)
                    + ", which no factory built; built: " + (registry.all().isEmpty() ? "none" : registry.names()));
        }
    }
}
