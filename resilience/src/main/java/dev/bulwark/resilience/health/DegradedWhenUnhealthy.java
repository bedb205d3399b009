package dev.bulwark.resilience.health;

import com.codahale.metrics.health.HealthCheck;

/**
 * Words an optional dependency's failed check as what it means for clients: the service is degraded,
 * not down. Details are kept. Thread-safe if the wrapped check is.
 */
public final class DegradedWhenUnhealthy extends HealthCheck {

    private final HealthCheck check;
    private final String consequence;

    public DegradedWhenUnhealthy(HealthCheck check, String consequence) {
        this.check = check;
        this.consequence = consequence;
    }

    @Override
    protected Result check() {
        Result result = check.execute();
        if (result.isHealthy()) {
            return result;
        }
        ResultBuilder degraded = Result.builder().unhealthy()
                .withMessage("degraded (" + consequence + "): " + result.getMessage());
        if (result.getDetails() != null) {
            result.getDetails().forEach(degraded::withDetail);
        }
        return degraded.build();
    }
}
