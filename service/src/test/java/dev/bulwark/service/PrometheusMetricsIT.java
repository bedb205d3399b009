package dev.bulwark.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.service.testing.Json;
import dev.bulwark.resilience.testing.PrometheusScrape;
import dev.bulwark.service.testing.TestApp;
import dev.bulwark.service.testing.TestBackends;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /metrics/prometheus} on the admin port of the whole application: its content type, the
 * {@code bulwark_*} families for both dependencies, the cache's hit and miss counts after real requests, and
 * labels that stay within fixed sets whatever ids and failures the traffic brings.
 */
class PrometheusMetricsIT {

    /** Every label a bulwark_* series may carry, with the values it may take. */
    private static final Map<String, Set<String>> ALLOWED_LABELS = Map.of(
            "name", Set.of("database", "redis"),
            "state", Set.of("closed", "open", "half_open"),
            "from", Set.of("closed", "open", "half_open"),
            "to", Set.of("closed", "open", "half_open"),
            "kind", Set.of("successful_without_retry", "successful_with_retry", "failed_without_retry",
                    "failed_with_retry"),
            "outcome", Set.of("success", "failure"),
            "result", Set.of("hit", "miss", "bypass"),
            "le", Set.of("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf"));

    /**
     * Per dependency: 3 states, 6 transitions, 1 refusal count, 4 call kinds, 1 budget, 2 probe outcomes, and a
     * histogram of 12 buckets, a count and a sum (31); the database's 3 concurrency series; 3 cache results and
     * readiness.
     */
    private static final int BULWARK_SERIES = 2 * 31 + 3 + 3 + 1;

    @RegisterExtension
    static final TestApp APP = TestApp.create();

    @Test
    void shouldServeTheResilienceFamiliesOfBothDependenciesAsPrometheusText() {
        // Given the application is ready
        await().atMost(Duration.ofSeconds(15)).until(() -> APP.get("/health-check?type=ready").statusCode() == 200);

        // When the admin port is scraped
        HttpResponse<String> response = scrape();

        // Then it is Prometheus text with each family, readiness and Dropwizard's metrics bridged
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
        PrometheusScrape metrics = PrometheusScrape.parse(response.body());
        for (String name : new String[] {"database", "redis"}) {
            assertThat(metrics.value("bulwark_circuitbreaker_state", "name", name, "state", "closed")).isEqualTo(1);
            assertThat(metrics.value("bulwark_circuitbreaker_transitions_total", "name", name, "from", "closed",
                    "to", "open")).isNotNegative();
            assertThat(metrics.value("bulwark_circuitbreaker_not_permitted_calls_total", "name", name)).isNotNegative();
            assertThat(metrics.value("bulwark_retry_calls_total", "name", name, "kind", "successful_without_retry"))
                    .isPositive();
            assertThat(metrics.value("bulwark_retry_budget_remaining", "name", name)).isPositive();
            assertThat(metrics.value("bulwark_probe_total", "name", name, "outcome", "success")).isNotNegative();
            assertThat(metrics.value("bulwark_call_duration_seconds_count", "name", name)).isPositive();
        }
        assertThat(metrics.value("bulwark_concurrency_limit", "name", "database")).isPositive();
        assertThat(metrics.value("bulwark_concurrency_inflight", "name", "database")).isNotNegative();
        assertThat(metrics.value("bulwark_concurrency_rejected_total", "name", "database")).isNotNegative();
        assertThat(metrics.startingWith("bulwark_concurrency")).allSatisfy(series ->
                assertThat(series.labels()).containsEntry("name", "database"));
        assertThat(metrics.value("bulwark_ready")).isEqualTo(1);
        assertThat(metrics.value("dropwizard_queued_thread_pool_dw_size")).isPositive();
        assertThat(metrics.startingWith("dropwizard_mutable_servlet_context_handler_requests_seconds")).isNotEmpty();
    }

    @Test
    void shouldCountACacheMissAndThenAHitForTwoReadsOfANewItem() {
        // Given a new item
        String path = "/items/prom-" + UUID.randomUUID();
        assertThat(APP.putJson(path, Json.item("widget", 1)).statusCode()).isEqualTo(201);
        PrometheusScrape before = PrometheusScrape.parse(scrape().body());

        // When it is read twice
        assertThat(APP.get(path).headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(APP.get(path).headers().firstValue("X-Cache")).hasValue("HIT");

        // Then one miss and one hit were counted, and no bypass
        PrometheusScrape after = PrometheusScrape.parse(scrape().body());
        assertThat(cache(after, "miss") - cache(before, "miss")).isEqualTo(1);
        assertThat(cache(after, "hit") - cache(before, "hit")).isEqualTo(1);
        assertThat(cache(after, "bypass") - cache(before, "bypass")).isZero();
    }

    @Test
    void shouldKeepEveryLabelWithinItsFixedSetAfterManyIdsAndFailures() {
        // Given traffic with many distinct ids, reads of missing items, bad ids, and both breakers forced open
        for (int i = 0; i < 60; i++) {
            String id = "card-" + UUID.randomUUID();
            APP.putJson("/items/" + id, Json.item("n" + i, i));
            APP.get("/items/" + id);
            APP.get("/items/missing-" + UUID.randomUUID());
        }
        APP.get("/items/" + "x".repeat(300));
        for (String dependency : new String[] {"database", "redis"}) {
            assertThat(admin("POST", "/tasks/circuit-breaker?name=" + dependency + "&action=open").statusCode())
                    .isEqualTo(200);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(APP.get("/items/open-" + UUID.randomUUID()).statusCode()).isEqualTo(503);
        }
        // (readiness fails once neither dependency is reachable, checked every 500 ms)
        await().atMost(Duration.ofSeconds(10)).until(() ->
                PrometheusScrape.parse(scrape().body()).value("bulwark_ready") == 0);
        HttpResponse<String> duringOutage = scrape();
        for (String dependency : new String[] {"database", "redis"}) {
            admin("POST", "/tasks/circuit-breaker?name=" + dependency + "&action=reset");
        }

        // When the admin port is scraped
        PrometheusScrape metrics = PrometheusScrape.parse(duringOutage.body());

        // Then the failures show, every bulwark_* label is from its fixed set, and the series are as many as ever
        assertThat(metrics.value("bulwark_circuitbreaker_state", "name", "database", "state", "open")).isEqualTo(1);
        assertThat(metrics.value("bulwark_circuitbreaker_not_permitted_calls_total", "name", "database"))
                .isGreaterThanOrEqualTo(10);
        assertThat(metrics.value("bulwark_cache_requests_total", "result", "bypass")).isGreaterThanOrEqualTo(10);
        assertThat(metrics.value("bulwark_ready")).isZero();
        assertThat(metrics.startingWith("bulwark_")).allSatisfy(series -> series.labels().forEach((label, value) ->
                assertThat(ALLOWED_LABELS.get(label)).as("%s of %s", label, series).isNotNull().contains(value)));
        assertThat(metrics.startingWith("bulwark_")).hasSize(BULWARK_SERIES);
        assertThat(duringOutage.body()).doesNotContain("card-", "missing-", "open-", "jdbc:", "redis://");
        String password = TestBackends.shared().dbPassword();
        if (password != null && !password.isEmpty()) {
            assertThat(duringOutage.body()).doesNotContain(password);
        }
    }

    private static double cache(PrometheusScrape metrics, String result) {
        return metrics.value("bulwark_cache_requests_total", "result", result);
    }

    private static HttpResponse<String> scrape() {
        return admin("GET", "/metrics/prometheus");
    }

    private static HttpResponse<String> admin(String method, String path) {
        return APP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.extension().getAdminPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }
}
