package dev.bulwark.resilience.prometheus;

import io.dropwizard.health.HealthCheckType;
import io.dropwizard.health.HealthEnvironment;
import io.dropwizard.health.HealthStateAggregator;
import io.dropwizard.health.HealthStateView;
import io.dropwizard.health.HealthStatusChecker;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Whether the application is ready, as {@code GET /health-check?type=ready} answers it (dropwizard-health): its
 * health status checker asked about readiness, or, where there is none, every critical check healthy. False
 * before dropwizard-health is set up and once shutdown has started. Thread-safe.
 */
final class Readiness implements BooleanSupplier {

    private final HealthEnvironment health;

    Readiness(HealthEnvironment health) {
        this.health = health;
    }

    @Override
    public boolean getAsBoolean() {
        HealthStateAggregator aggregator = health.healthStateAggregator();
        if (aggregator instanceof HealthStatusChecker checker) {
            return checker.isHealthy(HealthCheckType.READY.name().toLowerCase(Locale.ROOT));
        }
        return aggregator != null && aggregator.healthStateViews().stream()
                .filter(HealthStateView::isCritical).allMatch(HealthStateView::isHealthy);
    }
}
