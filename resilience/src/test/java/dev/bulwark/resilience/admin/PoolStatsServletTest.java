package dev.bulwark.resilience.admin;

import static dev.bulwark.resilience.TestDependencies.failCall;
import static dev.bulwark.resilience.TestDependencies.fast;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.resilience.Dependency;
import dev.bulwark.resilience.DependencyRegistry;
import dev.bulwark.resilience.FakeHttp;
import dev.bulwark.resilience.PoolSnapshot;
import dev.bulwark.resilience.Resilient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolStatsServletTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Resilient database = fast("database").withMaxRetries(1)
            .withCircuitBreaker(1, Duration.ofSeconds(60)).build();
    private final Resilient redis = fast("redis").build();
    private final PoolStatsServlet servlet = new PoolStatsServlet(registry(
            new Dependency("database", database, () -> new PoolSnapshot(10, 0, 4, 10), () -> { }),
            new Dependency("redis", redis, () -> new PoolSnapshot(1, 7, 0, 8), () -> { })));

    private static DependencyRegistry registry(Dependency... dependencies) {
        DependencyRegistry registry = new DependencyRegistry();
        List.of(dependencies).forEach(registry::register);
        return registry;
    }

    @Test
    void shouldShowBothPoolsBreakersAndBudgets() throws Exception {
        // Given the database's breaker opened on an exhausted call, after one retry
        failCall(database, "Connection refused");

        // When
        FakeHttp.Response response = get("GET");

        // Then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("database", "redis");
        assertThat(body.get("database")).isEqualTo(JSON.readTree("""
                {"pool": {"active": 10, "idle": 0, "waiting": 4, "max": 10},
                 "breaker": {"state": "OPEN", "consecutiveFailures": 1, "callsRejected": 0,
                             "retryAfterSeconds": %d, "nextProbeInMs": %d, "opened": 1,
                             "probesSucceeded": 0, "probesFailed": 0},
                 "retryBudget": {"remaining": 999}, "retries": 1, "retriesExhausted": 1}
                """.formatted(body.at("/database/breaker/retryAfterSeconds").asInt(),
                body.at("/database/breaker/nextProbeInMs").asLong())));
        assertThat(body.at("/database/breaker/retryAfterSeconds").asInt()).isBetween(59, 60);
        assertThat(body.get("redis")).isEqualTo(JSON.readTree("""
                {"pool": {"active": 1, "idle": 7, "waiting": 0, "max": 8},
                 "breaker": {"state": "CLOSED", "consecutiveFailures": 0, "callsRejected": 0, "retryAfterSeconds": 0,
                             "nextProbeInMs": 0, "opened": 0, "probesSucceeded": 0, "probesFailed": 0},
                 "retryBudget": {"remaining": 1000}, "retries": 0, "retriesExhausted": 0}
                """));
    }

    @Test
    void shouldRefuseOtherMethodsWithA405JsonError() throws Exception {
        FakeHttp.Response response = get("POST");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("GET");
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "{\"code\": 405, \"message\": \"/pool-stats only answers GET, not POST\"}"));
    }

    @Test
    void shouldBuildTheSameBodyWithoutAServletContainer() {
        assertThat(servlet.snapshot()).containsOnlyKeys("database", "redis");
    }

    private FakeHttp.Response get(String method) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        servlet.service(FakeHttp.request(method, null, Map.of()), response.servletResponse());
        return response;
    }
}
