package dev.bulwark.resilience.health;

import static dev.bulwark.resilience.TestDependencies.failCall;
import static dev.bulwark.resilience.TestDependencies.fast;
import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck.Result;
import dev.bulwark.resilience.Dependency;
import dev.bulwark.resilience.DependencyRegistry;
import dev.bulwark.resilience.PoolSnapshot;
import dev.bulwark.resilience.Resilient;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AnyDependencyReachableHealthCheckTest {

    private final DependencyRegistry registry = new DependencyRegistry();
    private final AnyDependencyReachableHealthCheck check = new AnyDependencyReachableHealthCheck(registry);

    @Test
    void shouldBeHealthyWhenTheDatabaseIsDownButTheCacheAnswers() {
        // Given a database whose breaker is open (a shared outage) and a cache that answers
        add(openBreaker("database"), false);
        add(fast("redis").build(), true);

        // When
        Result result = check.execute();

        // Then the instance stays ready: cached reads and its own 503s beat the load balancer's "no server"
        assertThat(result.isHealthy()).isTrue();
        assertThat(result.getMessage())
                .matches("reachable: redis; unreachable: database \\(circuit breaker OPEN, next probe in (59|60) s\\)");
    }

    @Test
    void shouldBeHealthyWhenTheCacheIsDownButTheDatabaseAnswers() {
        // Given
        add(fast("database").build(), true);
        add(fast("redis").build(), false);

        // When / Then the database is asked first and answers, so the cache is not even checked
        Result result = check.execute();
        assertThat(result.isHealthy()).isTrue();
        assertThat(result.getMessage()).isEqualTo("reachable: database");
    }

    @Test
    void shouldBeUnhealthyWhenNeitherTheDatabaseNorTheCacheCanBeReached() {
        // Given an instance cut off from both (a probe that never fails would keep it in rotation)
        add(fast("database").build(), false);
        add(openBreaker("redis"), true);

        // When
        Result result = check.execute();

        // Then
        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).matches("no dependency reachable, this instance can serve nothing: "
                + "database \\(Connection refused\\), redis \\(circuit breaker OPEN, next probe in (59|60) s\\)");
    }

    @Test
    void shouldSeeADependencyBuiltAfterTheCheckWasRegistered() {
        // Given a check registered before anything was built
        assertThat(check.execute().isHealthy()).isTrue();

        // When the only dependency is built later, and is down
        add(fast("database").build(), false);

        // Then the check judges it
        assertThat(check.execute().isHealthy()).isFalse();
    }

    private void add(Resilient resilient, boolean answers) {
        registry.register(new Dependency(resilient.name(), resilient, () -> new PoolSnapshot(0, 1, 0, 1), () -> {
            if (!answers) {
                throw new ConnectException("Connection refused");
            }
        }));
    }

    private static Resilient openBreaker(String name) {
        Resilient resilient = fast(name).withMaxRetries(0).withCircuitBreaker(1, Duration.ofSeconds(60)).build();
        failCall(resilient, "Connection refused");
        return resilient;
    }
}
