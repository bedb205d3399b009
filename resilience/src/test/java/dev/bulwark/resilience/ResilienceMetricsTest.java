package dev.bulwark.resilience;

import static dev.bulwark.resilience.TestDependencies.failCall;
import static dev.bulwark.resilience.TestDependencies.fast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResilienceMetricsTest {

    private final MetricRegistry registry = new MetricRegistry();

    @Test
    void shouldNameEveryMetricAfterTheDependency() {
        ResilienceMetrics.register(registry, fast("redis").build());

        assertThat(registry.getGauges().keySet()).containsExactlyInAnyOrder(
                "resilience.redis.state", "resilience.redis.consecutiveFailures",
                "resilience.redis.retryBudgetRemaining", "resilience.redis.retries",
                "resilience.redis.retriesExhausted", "resilience.redis.budgetRejections",
                "resilience.redis.callsRejected", "resilience.redis.transitions.open",
                "resilience.redis.transitions.halfOpen", "resilience.redis.transitions.closed",
                "resilience.redis.probes.succeeded", "resilience.redis.probes.failed");
    }

    @Test
    void shouldPublishTheConcurrencyLimitWhereThereIsOne() {
        ResilienceMetrics.register(registry, fast("database").withConcurrencyLimit(ConcurrencyLimit.forPool(() -> new PoolSnapshot(0, 0, 0, 10), 10, java.time.Duration.ZERO)).build());

        assertThat(registry.getGauges().get("resilience.database.concurrency.limit").getValue()).isEqualTo(40L);
        assertThat(registry.getGauges().get("resilience.database.concurrency.inflight").getValue()).isEqualTo(0L);
        assertThat(registry.getGauges().get("resilience.database.concurrency.rejected").getValue()).isEqualTo(0L);
    }

    @Test
    void shouldReadLiveValuesAsTheBreakerOpensAndCloses() {
        // Given
        Resilient db = fast("database").withMaxRetries(1).withCircuitBreaker(1, Duration.ofSeconds(60)).build();
        ResilienceMetrics.register(registry, db);
        assertThat(value("state")).isEqualTo(0L);

        // When a call fails after its retry, opening the breaker, and the next is rejected
        failCall(db, "Connection refused");
        failCall(db, "Connection refused");

        // Then
        assertThat(value("state")).isEqualTo(2L);
        assertThat(value("consecutiveFailures")).isEqualTo(1L);
        assertThat(value("retries")).isEqualTo(1L);
        assertThat(value("retriesExhausted")).isEqualTo(1L);
        assertThat(value("callsRejected")).isEqualTo(1L);
        assertThat(value("transitions.open")).isEqualTo(1L);
        assertThat(value("retryBudgetRemaining")).isEqualTo(999L);

        // And when an operator closes it
        db.closeBreaker();
        assertThat(value("state")).isEqualTo(0L);
        assertThat(value("transitions.closed")).isEqualTo(1L);
        assertThat(value("transitions.halfOpen")).isEqualTo(0L);
    }

    @Test
    void shouldCountRetriesRefusedForLackOfBudget() {
        Resilient db = fast("database").withRetryBudget(new RetryBudget(0, 0, () -> 0L)).withMaxRetries(3).build();
        ResilienceMetrics.register(registry, db);

        failCall(db, "Connection refused");

        assertThat(value("budgetRejections")).isEqualTo(1L);
        assertThat(value("retryBudgetRemaining")).isEqualTo(0L);
    }

    @Test
    void shouldCodeHalfOpenBetweenClosedAndOpen() {
        assertThat(ResilienceMetrics.stateCode(CircuitState.HALF_OPEN)).isEqualTo(1);
    }

    @Test
    void shouldRefuseToRegisterTheSameDependencyTwice() {
        ResilienceMetrics.register(registry, fast("redis").build());

        assertThatThrownBy(() -> ResilienceMetrics.register(registry, fast("redis").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resilience.redis.state");
    }

    private Object value(String name) {
        Gauge<?> gauge = registry.getGauges().get((name.startsWith("resilience.") ? "" : "resilience.database.") + name);
        return gauge.getValue();
    }
}
