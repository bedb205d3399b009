package dev.bulwark.resilience.bundle;

import dev.bulwark.resilience.admin.PoolStatsServlet;
import dev.bulwark.resilience.health.AnyDependencyReachableHealthCheck;
import dev.bulwark.resilience.prometheus.PrometheusEndpoint;
import dev.bulwark.resilience.tasks.CircuitBreakerTask;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import java.util.function.Function;

/**
 * Resilience for a Dropwizard application's dependencies in one bundle. Add it in {@code initialize}:
 * <pre>
 * bootstrap.addBundle(new ResilienceBundle&lt;&gt;(MyConfiguration::getResilience));
 * </pre>
 * and build each dependency in {@code run} with a config-bound factory,
 * {@code configuration.getDatabase().build(environment, "database")} ({@code ResilientJdbiFactory}) or
 * {@code configuration.getRedis().build(environment, "redis")} ({@code ResilientRedisFactory}): each waits for
 * its dependency at start-up and registers its lifecycle, health check, prober, concurrency limit and metrics.
 *
 * <p>The bundle itself registers, on the admin port, the task {@code POST /tasks/circuit-breaker}, the
 * servlet {@code GET /pool-stats} over every dependency built, the health check {@code dependencies}
 * ({@link AnyDependencyReachableHealthCheck}: fails only when no dependency is reachable; configure it as the
 * critical readiness check and each dependency's own check as non-critical), and {@code GET /metrics/prometheus}
 * ({@link PrometheusEndpoint}: the {@code bulwark_*} families, readiness, Dropwizard's metrics as
 * {@code dropwizard_*}, and whatever the application adds to {@link ResilienceContext#prometheus()}); in Jersey, the mapper that answers a call that
 * failed with {@link dev.bulwark.resilience.DependencyUnavailableException} with a 503 and {@code Retry-After};
 * and a start-time check that every name under {@code resilience.dependencies} was built. A dependency that
 * never answers at start-up ends the command with one line, {@code Start-up failed: ...}
 * ({@link dev.bulwark.resilience.StartupFailedException}). Not thread-safe; Dropwizard calls it once.
 *
 * @param <C> the application's configuration
 */
public final class ResilienceBundle<C extends Configuration> implements ConfiguredBundle<C> {

    private final Function<C, ResilienceFactory> settings;

    /** A bundle configured from the block {@code settings} returns, usually {@code resilience:}. */
    public ResilienceBundle(Function<C, ResilienceFactory> settings) {
        this.settings = settings;
    }

    @Override
    public void run(C configuration, Environment environment) {
        ResilienceContext context = new ResilienceContext(settings.apply(configuration));
        environment.getAdminContext().setAttribute(ResilienceContext.ATTRIBUTE, context);
        environment.admin().addTask(new CircuitBreakerTask(context.registry()));
        environment.admin().addServlet("pool-stats", new PoolStatsServlet(context.registry()))
                .addMapping("/pool-stats");
        PrometheusEndpoint.serve(environment, context.prometheus(), context.registry());
        environment.jersey().register(new DependencyUnavailableMapper());
        environment.healthChecks().register(AnyDependencyReachableHealthCheck.NAME,
                new AnyDependencyReachableHealthCheck(context.registry()));
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                context.checkEveryConfiguredDependencyWasBuilt();
            }
        });
    }
}
