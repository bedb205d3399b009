package dev.bulwark.resilience.health;

import static dev.bulwark.resilience.TestDependencies.URL_WITH_CREDENTIALS;
import static dev.bulwark.resilience.TestDependencies.failCall;
import static dev.bulwark.resilience.TestDependencies.fast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.health.HealthCheck.Result;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.resilience.CircuitState;
import dev.bulwark.resilience.Dependency;
import dev.bulwark.resilience.PoolSnapshot;
import dev.bulwark.resilience.Probe;
import dev.bulwark.resilience.Resilient;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class CircuitBreakerHealthCheckTest {

    private final AtomicInteger probes = new AtomicInteger();
    private final PoolSnapshot pool = new PoolSnapshot(3, 7, 1, 10);

    @Test
    void shouldBeHealthyWithEveryDetailWhenTheProbeAnswers() {
        // Given a database that failed once but answers now
        Resilient db = fast("database").withCircuitBreaker(5, Duration.ofSeconds(60)).build();
        failCall(db, "Connection refused");

        // When
        Result result = check(db, () -> probes.incrementAndGet());

        // Then
        assertThat(result.isHealthy()).isTrue();
        assertThat(probes).hasValue(1);
        assertThat(result.getDetails())
                .containsEntry("state", "CLOSED")
                .containsEntry("consecutiveFailures", 1L)
                .containsEntry("callsRejected", 0L)
                .containsEntry("retries", 1L)
                .containsEntry("retriesExhausted", 1L)
                .containsEntry("retryBudgetRemaining", 999)
                .containsEntry("pool", Map.of("active", 3, "idle", 7, "waiting", 1, "max", 10));
        assertThat(result.getDetails().get("lastFailure")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("message", "Connection refused")
                .containsKey("time");
    }

    @Test
    void shouldReportNoLastFailureAsNull() {
        Result result = check(fast("redis").build(), () -> { });

        assertThat(result.getDetails()).containsEntry("lastFailure", null);
    }

    @Test
    void shouldReportAFailedProbeWithoutItsCredentialsAnywhere() throws Exception {
        // Given a dependency whose failures, and whose probe's failure, quote a URL with credentials
        Resilient db = fast("database").build();
        failCall(db, "Connection to " + URL_WITH_CREDENTIALS + " refused");

        // When
        Result result = check(db, () -> {
            throw new SQLException("FATAL: cannot connect to " + URL_WITH_CREDENTIALS, "08001");
        });

        // Then the operator still learns what failed, but never the secret
        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).isEqualTo("FATAL: cannot connect to postgresql://db:5432/x?password=***");
        assertThat(result.getError()).as("an attached exception would print its raw message").isNull();
        String rendered = result.getMessage() + new ObjectMapper().writeValueAsString(result.getDetails());
        assertThat(rendered).contains("postgresql://db:5432/x").doesNotContain("s3cret");
    }

    @Test
    void shouldNotProbeADependencyWhoseBreakerIsOpen() {
        // Given
        Resilient redis = fast("redis").withMaxRetries(0).withCircuitBreaker(1, Duration.ofSeconds(60)).build();
        failCall(redis, "Connection refused");

        // When
        Result result = check(redis, () -> probes.incrementAndGet());

        // Then
        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).matches("circuit breaker OPEN, next probe in (59|60) s");
        assertThat(probes).hasValue(0);
        assertThat(result.getDetails()).containsEntry("state", "OPEN").containsEntry("consecutiveFailures", 1L);
    }

    @Test
    void shouldProbeOnceTheResetDelayHasPassedEvenWithoutTraffic() {
        // Given a breaker that opened and has had no call since (an unready pod gets no traffic)
        Resilient redis = fast("redis").withMaxRetries(0).withCircuitBreaker(1, Duration.ofMillis(50)).build();
        failCall(redis, "Connection refused");

        // When / Then the check probes again once the reset delay is over, so the pod can become ready
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(check(redis, () -> probes.incrementAndGet()).isHealthy()).isTrue());
        assertThat(redis.state()).isEqualTo(CircuitState.OPEN);
    }

    private Result check(Resilient resilient, Probe probe) {
        return new CircuitBreakerHealthCheck(new Dependency(resilient.name(), resilient, () -> pool, probe)).execute();
    }
}
