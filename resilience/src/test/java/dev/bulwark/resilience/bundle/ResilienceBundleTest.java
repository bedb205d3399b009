package dev.bulwark.resilience.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.health.HealthCheck;
import dev.bulwark.resilience.redis.ResilientRedisFactory;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Environment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.Test;

/**
 * What the bundle and a factory register in a Dropwizard environment, and what they refuse. Redis is a closed
 * port here: with {@code required: false} nothing waits for it, so the wiring is what is under test.
 */
class ResilienceBundleTest {

    private final Environment environment = new Environment("bundle-test");

    @Test
    void shouldRefuseToBuildADependencyWithoutTheBundle() {
        assertThatThrownBy(() -> redisOnAClosedPort().build(environment, "redis"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bootstrap.addBundle(new ResilienceBundle<>(");
    }

    @Test
    void shouldRegisterHealthMetricsAndTheRegistryEntryOfABuiltDependency() throws IOException {
        // Given the bundle, with Redis optional at start-up
        ResilienceFactory settings = settings(Map.of("redis", optional()));
        new ResilienceBundle<Configuration>(c -> settings).run(new Configuration(), environment);

        // When the application builds it
        redisOnAClosedPort().build(environment, "redis", "serving without the cache");

        // Then it is known by name to the task and /pool-stats, has a health check worded as degraded, and metrics
        assertThat(ResilienceContext.of(environment).registry().get("redis")).isPresent();
        HealthCheck.Result health = environment.healthChecks().runHealthCheck("redis");
        assertThat(health.isHealthy()).isFalse();
        assertThat(health.getMessage()).startsWith("degraded (serving without the cache): ");
        assertThat(environment.metrics().getGauges()).containsKey("resilience.redis.state");
    }

    @Test
    void shouldRegisterADependenciesCheckThatFailsOnlyWhenNoDependencyIsReachable() throws IOException {
        // Given the bundle, and one dependency built, which cannot be reached
        ResilienceFactory settings = settings(Map.of("redis", optional()));
        new ResilienceBundle<Configuration>(c -> settings).run(new Configuration(), environment);
        redisOnAClosedPort().build(environment, "redis", "serving without the cache");

        // When
        HealthCheck.Result dependencies = environment.healthChecks().runHealthCheck("dependencies");

        // Then the instance can serve nothing, and the check says which dependency it could not reach
        assertThat(dependencies.isHealthy()).isFalse();
        assertThat(dependencies.getMessage()).startsWith("no dependency reachable, this instance can serve nothing: redis (");
    }

    @Test
    void shouldStopTheServerStartingWhenAConfiguredDependencyWasNeverBuilt() {
        // Given a policy under a name no factory builds (a typo of "database")
        ResilienceFactory settings = settings(Map.of("databse", new DependencyPolicy()));
        new ResilienceBundle<Configuration>(c -> settings).run(new Configuration(), environment);

        // When the server starts, then it refuses, naming the stray entry
        assertThatThrownBy(() -> {
            for (LifeCycle managed : environment.lifecycle().getManagedObjects()) {
                managed.start();
            }
        }).hasMessage("resilience.dependencies configures databse, which no factory built; built: none");
    }

    private static ResilienceFactory settings(Map<String, DependencyPolicy> dependencies) {
        ResilienceFactory settings = new ResilienceFactory();
        settings.setDependencies(dependencies);
        return settings;
    }

    private static DependencyPolicy optional() {
        DependencyPolicy policy = new DependencyPolicy();
        policy.setRequired(false);
        return policy;
    }

    private static ResilientRedisFactory redisOnAClosedPort() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ResilientRedisFactory redis = new ResilientRedisFactory();
        redis.setUrl("redis://127.0.0.1:" + port + "/0");
        return redis;
    }
}
