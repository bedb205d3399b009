package dev.bulwark.resilience.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.resilience.CircuitState;
import dev.bulwark.resilience.ConcurrencyLimit;
import dev.bulwark.resilience.DependencyUnavailableException;
import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.TestDependencies;
import dev.bulwark.resilience.testing.PrometheusScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResilienceCollectorTest {

    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final AtomicInteger attempts = new AtomicInteger();

    @Test
    void shouldCountEachCallByOutcomeAndEveryTransitionThroughOpenAndHalfOpen() throws Exception {
        // Given a database whose breaker opens after 2 failed calls and half-opens 100 ms later
        Resilient db = TestDependencies.fast("database").withCircuitBreaker(2, Duration.ofMillis(100)).build();
        prometheus.register(new ResilienceCollector(TestDependencies.registry(db)));

        // When a call succeeds, one succeeds on its retry, one fails with its own error, two exhaust their retries
        db.call(() -> "ok");
        db.call(() -> failOnce("ok"));
        SQLException duplicate = new SQLException("duplicate key", "23505");
        assertThatThrownBy(() -> db.call(() -> {
            throw duplicate;
        })).isSameAs(duplicate);
        TestDependencies.failCall(db, "refused");
        TestDependencies.failCall(db, "refused");

        // Then the breaker is open, counted once from closed, and each call is counted by its outcome
        PrometheusScrape open = PrometheusScrape.of(prometheus);
        assertThat(open.value("bulwark_circuitbreaker_state", "name", "database", "state", "open")).isEqualTo(1);
        assertThat(open.value("bulwark_circuitbreaker_state", "name", "database", "state", "closed")).isZero();
        assertThat(open.value("bulwark_circuitbreaker_state", "name", "database", "state", "half_open")).isZero();
        assertThat(open.value("bulwark_circuitbreaker_transitions_total", "name", "database", "from", "closed",
                "to", "open")).isEqualTo(1);
        assertThat(kind(open, "successful_without_retry")).isEqualTo(1);
        assertThat(kind(open, "successful_with_retry")).isEqualTo(1);
        assertThat(kind(open, "failed_without_retry")).isEqualTo(1);
        assertThat(kind(open, "failed_with_retry")).isEqualTo(2);

        // When a call comes while it is open
        assertThatThrownBy(() -> db.call(() -> "never")).isInstanceOf(DependencyUnavailableException.class);

        // Then it is refused without a retry
        PrometheusScrape refused = PrometheusScrape.of(prometheus);
        assertThat(refused.value("bulwark_circuitbreaker_not_permitted_calls_total", "name", "database")).isEqualTo(1);
        assertThat(kind(refused, "failed_without_retry")).isEqualTo(2);

        // When the reset delay is over and the trial call succeeds
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(db.call(() -> "trial")).isEqualTo("trial"));

        // Then it went open -> half_open -> closed, and every top-level call is in the duration histogram
        PrometheusScrape closed = PrometheusScrape.of(prometheus);
        assertThat(closed.value("bulwark_circuitbreaker_state", "name", "database", "state", "closed")).isEqualTo(1);
        assertThat(closed.value("bulwark_circuitbreaker_state", "name", "database", "state", "open")).isZero();
        assertThat(closed.value("bulwark_circuitbreaker_transitions_total", "name", "database", "from", "open",
                "to", "half_open")).isEqualTo(1);
        assertThat(closed.value("bulwark_circuitbreaker_transitions_total", "name", "database", "from", "half_open",
                "to", "closed")).isEqualTo(1);
        assertThat(closed.value("bulwark_circuitbreaker_transitions_total", "name", "database", "from", "closed",
                "to", "open")).isEqualTo(1);
        double calls = closed.named("bulwark_retry_calls_total").stream().mapToDouble(PrometheusScrape.Series::value).sum();
        assertThat(closed.value("bulwark_call_duration_seconds_count", "name", "database")).isEqualTo(calls);
        assertThat(closed.value("bulwark_call_duration_seconds_bucket", "name", "database", "le", "+Inf"))
                .isEqualTo(calls);
    }

    @Test
    void shouldCountAUnitOnceWithTheRetriesOfTheCallsItMakes() throws Exception {
        // Given a database with a concurrency limit
        Resilient db = TestDependencies.fast("database").build();
        prometheus.register(new ResilienceCollector(TestDependencies.registry(db)));

        // When one unit acquires two connections, the second on its retry
        String result = db.callIdempotent(() -> db.call(() -> "first") + db.call(() -> failOnce("second")));

        // Then that is one call, successful with a retry
        PrometheusScrape scrape = PrometheusScrape.of(prometheus);
        assertThat(result).isEqualTo("firstsecond");
        assertThat(kind(scrape, "successful_with_retry")).isEqualTo(1);
        assertThat(kind(scrape, "successful_without_retry")).isZero();
        assertThat(scrape.value("bulwark_call_duration_seconds_count", "name", "database")).isEqualTo(1);
    }

    @Test
    void shouldShowTheConcurrencyLimitItsInflightUnitsAndItsRefusals() throws Exception {
        // Given a database limited to one unit at a time, and redis without a limit
        Resilient db = TestDependencies.fast("database").withConcurrencyLimit(new ConcurrencyLimit(1, 1, 1)).build();
        Resilient redis = TestDependencies.fast("redis").build();
        prometheus.register(new ResilienceCollector(TestDependencies.registry(db, redis)));

        // When a second unit comes while one runs
        PrometheusScrape during = db.callIdempotent(() -> {
            CompletableFuture<Object> second = CompletableFuture.supplyAsync(() -> {
                try {
                    return db.callIdempotent(() -> "second");
                } catch (Exception e) {
                    return e;
                }
            });
            assertThat(second.join()).isInstanceOf(DependencyUnavailableException.class);
            return PrometheusScrape.of(prometheus);
        });

        // Then the scrape during the first unit saw it in flight, and the second was refused
        assertThat(during.value("bulwark_concurrency_limit", "name", "database")).isEqualTo(1);
        assertThat(during.value("bulwark_concurrency_inflight", "name", "database")).isEqualTo(1);
        assertThat(PrometheusScrape.of(prometheus).value("bulwark_concurrency_rejected_total", "name", "database")).isEqualTo(1);
        assertThat(PrometheusScrape.of(prometheus).value("bulwark_concurrency_inflight", "name", "database")).isZero();
        assertThat(during.named("bulwark_concurrency_limit")).hasSize(1);
        assertThat(during.value("bulwark_retry_budget_remaining", "name", "redis")).isPositive();
    }

    @Test
    void shouldCountTheProbesThatFoundTheDependencyDownAndTheOneThatFoundItBack() {
        // Given a database whose probe fails twice, then answers
        AtomicInteger probes = new AtomicInteger();
        Resilient db = TestDependencies.fast("database").withCircuitBreaker(1, Duration.ofSeconds(60))
                .withProbe(() -> {
                    if (probes.incrementAndGet() <= 2) {
                        throw new ConnectException("still down");
                    }
                }, Duration.ofMillis(5))
                .build();
        prometheus.register(new ResilienceCollector(TestDependencies.registry(db)));

        // When a failed call opens the breaker
        TestDependencies.failCall(db, "refused");

        // Then the prober closes it, and its probes are counted by outcome
        await().atMost(Duration.ofSeconds(5)).until(() -> db.state() == CircuitState.CLOSED);
        PrometheusScrape scrape = PrometheusScrape.of(prometheus);
        assertThat(scrape.value("bulwark_probe_total", "name", "database", "outcome", "failure")).isEqualTo(2);
        assertThat(scrape.value("bulwark_probe_total", "name", "database", "outcome", "success")).isEqualTo(1);
        assertThat(scrape.value("bulwark_circuitbreaker_transitions_total", "name", "database", "from", "open",
                "to", "closed")).isEqualTo(1);
        db.close();
    }

    private static double kind(PrometheusScrape scrape, String kind) {
        return scrape.value("bulwark_retry_calls_total", "name", "database", "kind", kind);
    }

    private String failOnce(String result) throws ConnectException {
        if (attempts.getAndIncrement() == 0) {
            throw new ConnectException("refused once");
        }
        return result;
    }
}
