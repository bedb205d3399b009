package dev.bulwark.resilience.health;

import com.codahale.metrics.health.HealthCheck;
import dev.bulwark.resilience.Dependency;
import dev.bulwark.resilience.DependencyRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether this instance can serve anything at all: healthy while at least one of its dependencies is reachable
 * (its {@link CircuitBreakerHealthCheck} passes), unhealthy only when none is. The ResilienceBundle registers it as
 * {@value #NAME}, meant to be the one critical readiness check.
 *
 * <p>Why not the dependencies' own checks: a dependency shared by every instance (one database, one Redis) that
 * goes down would fail every instance's readiness at once, and the load balancer would answer "no server
 * available" for everything, although each instance still serves cached reads and answers writes with its own
 * fast 503 and {@code Retry-After}. An instance that reaches neither its database nor its cache serves nothing,
 * though: then traffic must move to the others, and this check fails.
 *
 * <p>The dependencies are read from the registry at each check, so the ones built after the bundle ran count; with
 * none built yet it is healthy (start-up gates keep readiness down until then). Each dependency is asked in the
 * order it was built and the check stops at the first reachable one, so a healthy database costs one direct check.
 * Thread-safe.
 */
public final class AnyDependencyReachableHealthCheck extends HealthCheck {

    /** The name the bundle registers it under. */
    public static final String NAME = "dependencies";

    private final DependencyRegistry registry;

    /** A check over every dependency in {@code registry}, now and later. */
    public AnyDependencyReachableHealthCheck(DependencyRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected Result check() {
        List<String> unreachable = new ArrayList<>();
        for (Dependency dependency : registry.all()) {
            Result result = new CircuitBreakerHealthCheck(dependency).execute();
            if (result.isHealthy()) {
                return Result.builder().healthy().withMessage("reachable: " + dependency.name()
                        + (unreachable.isEmpty() ? "" : "; unreachable: " + String.join(", ", unreachable))).build();
            }
            unreachable.add(dependency.name() + " (" + result.getMessage() + ")");
        }
        if (unreachable.isEmpty()) {
            return Result.healthy("no dependency built yet");
        }
        return Result.unhealthy("no dependency reachable, this instance can serve nothing: "
                + String.join(", ", unreachable));
    }
}
