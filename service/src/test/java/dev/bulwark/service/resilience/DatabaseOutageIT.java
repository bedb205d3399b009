package dev.bulwark.service.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.service.testing.Json;
import dev.bulwark.service.testing.TcpForwarder;
import dev.bulwark.service.testing.TestApp;
import dev.bulwark.service.testing.TestBackends;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole service with PostgreSQL behind a forwarder the test takes away and brings back. Timings
 * are shrunk: retries every 100 ms within a 1 s deadline, breaker after 3 failed calls, open for 1 s.
 *
 * <p>Its purpose is the HTTP contract of a database outage, one request at a time, so that each answer is
 * checked whole. It owns: a breaker rejection's answer to reads and writes (503, the body
 * {@code "database unavailable, retry after N s"}, {@code Retry-After: 1}, and at once: the open breaker
 * spares the request the retry deadline); readiness staying up (and liveness too) while only the database is
 * down, failing once Redis cannot be reached either, and passing again once they are back; the open breaker as {@code /healthcheck} and
 * {@code /pool-stats} show it, with no password; the operators' circuit-breaker task and its refusal of a bad
 * request; the item-count job outliving an outage. It also shows, with a request or two each, that a dropped
 * connection and an outage shorter than the retry deadline are hidden and that reads are served again
 * within the reset time + 2 s; under concurrent load, with every write checked against PostgreSQL, those
 * are {@code DatabaseChaosIT}'s (chaos-tests, which bounds the recovery at the reset time + 1 s), and the
 * latency and availability percentiles of an outage at load near capacity with the default settings are
 * {@code DatabaseOutageSimulation}'s (gatling).
 */
class DatabaseOutageIT {

    private static final TcpForwarder DATABASE = TestBackends.shared().databaseForwarder();
    private static final Duration RESET = Duration.ofSeconds(1);

    @RegisterExtension
    static final TestApp APP = TestApp.create(Map.ofEntries(
            Map.entry("database.url", TestBackends.shared().jdbcUrlVia(DATABASE.port())),
            Map.entry("database.maxWaitForConnection", "500ms"),
            Map.entry("database.validationQueryTimeout", "1s"),
            Map.entry("database.properties.connectTimeout", "1"),
            Map.entry("resilience.dependencies.database.maxRetries", "10"),
            Map.entry("resilience.dependencies.database.retryInterval", "100ms"),
            Map.entry("resilience.dependencies.database.maxBackoff", "1s"),
            Map.entry("resilience.dependencies.database.jitter", "0"),
            Map.entry("resilience.dependencies.database.retryDeadline", "1000ms"),
            Map.entry("resilience.dependencies.database.circuitFailureThreshold", "3"),
            Map.entry("resilience.dependencies.database.circuitReset", "1s"),
            Map.entry("itemCountRefresh", "200ms"),
            Map.entry("health.healthChecks[0].schedule.checkInterval", "100ms"),
            Map.entry("health.healthChecks[0].schedule.downtimeInterval", "100ms")));

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private String path;

    @BeforeEach
    void databaseIsUpAndServing() throws IOException {
        DATABASE.enable();
        path = "/items/outage-" + UUID.randomUUID();
        // A previous test may have left the breaker open: wait for it to let requests through again.
        await().atMost(RESET.plusSeconds(5)).until(() -> APP.putJson(path, Json.item("seed", 1)).statusCode() < 300);
    }

    @AfterAll
    static void closeForwarder() throws IOException {
        DATABASE.close();
    }

    @Test
    void shouldHideDroppedConnectionsByRetryingOnFreshOnes() {
        // Given a pool full of connections the database side has just reset
        DATABASE.resetConnections();

        // When requests keep coming, Then none of them fails
        for (int i = 0; i < 10; i++) {
            assertThat(APP.get(path).statusCode()).isEqualTo(200);
            assertThat(APP.putJson(path, Json.item("v" + i, i)).statusCode()).isEqualTo(200);
            if (i % 3 == 0) {
                DATABASE.resetConnections();
            }
        }
        assertThat(Json.parse(APP.get(path).body()).get("name").asText()).isEqualTo("v9");
    }

    @Test
    void shouldHideAnOutageShorterThanTheRetryDeadline() throws IOException {
        DATABASE.disable();
        scheduler.schedule(this::enableDatabase, 300, TimeUnit.MILLISECONDS);

        HttpResponse<String> read = APP.get(path);
        HttpResponse<String> write = APP.putJson(path, Json.item("after blip", 2));

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(write.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldFailFastWith503AndRetryAfterWhileDownThenRecoverWithinTheResetTime() throws IOException {
        // Given the database goes away and the breaker has opened
        DATABASE.disable();
        await().atMost(Duration.ofSeconds(20)).until(() -> isBreakerRejection(APP.get(path)));

        // When requests keep arriving, Then each gets a 503 with Retry-After, at once: only the probe the
        // breaker lets through after each reset period runs its retries (bounded by the 1 s deadline)
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = i % 2 == 0 ? APP.get(path) : APP.putJson(path, Json.item("x", 1));
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            assertThat(isBreakerRejection(response)).as(response.body()).isTrue();
            // A second until the next probe, spread by up to a second more
            assertThat(response.headers().firstValue("Retry-After")).get().isIn("1", "2");
        }
        assertThat(millis).filteredOn(ms -> ms >= 250).hasSizeLessThanOrEqualTo(2);
        assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(2000));

        // When the database comes back, Then the service serves again within the reset time (plus slack)
        DATABASE.enable();
        long back = System.nanoTime();
        await().atMost(RESET.plusSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> APP.get(path).statusCode() == 200);
        assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(RESET.plusSeconds(2));
    }

    @Test
    void shouldKeepTheBackgroundJobRunningThroughAnOutage() throws IOException {
        long failuresBefore = gauge("items.countFailures");
        DATABASE.disable();
        await().atMost(Duration.ofSeconds(20)).until(() -> gauge("items.countFailures") > failuresBefore);

        DATABASE.enable();
        long enabledAt = System.currentTimeMillis();

        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("items.countRefreshedAt") > enabledAt);
        assertThat(gauge("items.count")).isPositive();
    }

    // Breaker rejections and exhausted probes answer alike: 503, "database unavailable, retry after N s".
    // Readiness changed deliberately (issue 14): a database outage alone no longer fails it, since every instance
    // shares the database and would leave the load balancer at once; only reaching neither dependency does.
    @Test
    void shouldStayReadyWhileTheDatabaseIsDownAndFailReadinessOnlyWhenRedisIsUnreachableToo() throws IOException {
        assertThat(APP.get("/health-check?type=ready").statusCode()).isEqualTo(200);

        // Given the database goes away: its own check turns unhealthy, readiness and liveness stay up
        DATABASE.disable();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                !Json.parse(admin("GET", "/healthcheck").body()).get("database").get("healthy").asBoolean());
        assertThat(APP.get("/health-check?type=ready").statusCode()).isEqualTo(200);
        assertThat(APP.get("/health-check?type=alive").statusCode()).isEqualTo(200);
        try {
            // When Redis cannot be reached either (its breaker opened), the instance can serve nothing
            admin("POST", "/tasks/circuit-breaker?name=redis&action=open");

            // Then readiness fails, liveness does not
            await().atMost(Duration.ofSeconds(5)).until(() -> APP.get("/health-check?type=ready").statusCode() == 503);
            assertThat(APP.get("/health-check?type=alive").statusCode()).isEqualTo(200);
        } finally {
            admin("POST", "/tasks/circuit-breaker?name=redis&action=reset");
            DATABASE.enable();
        }
        await().atMost(RESET.plusSeconds(5)).until(() -> APP.get("/health-check?type=ready").statusCode() == 200);
        assertThat(APP.get("/health-check?type=alive").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldShowTheOpenBreakerInHealthAndPoolStats() throws IOException {
        DATABASE.disable();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            APP.get(path);
            return Json.parse(admin("GET", "/pool-stats").body()).get("database").get("breaker").get("state")
                    .asText().equals("OPEN");
        });
        assertThat(isBreakerRejection(APP.get(path))).isTrue();

        JsonNode health = Json.parse(admin("GET", "/healthcheck").body()).get("database");
        JsonNode stats = Json.parse(admin("GET", "/pool-stats").body()).get("database");

        assertThat(health.get("healthy").asBoolean()).isFalse();
        assertThat(health.get("state").asText()).isIn("OPEN", "HALF_OPEN");
        assertThat(health.get("callsRejected").asLong()).isPositive();
        assertThat(health.get("lastFailure").get("message").asText()).isNotBlank();
        assertThat(health.get("pool").has("active")).isTrue();
        assertThat(stats.get("breaker").get("state").asText()).isIn("OPEN", "HALF_OPEN");
        assertThat(stats.get("pool").get("max").asInt()).isPositive();
        assertThat(health.toString() + stats).doesNotContain(TestBackends.shared().dbPassword().isEmpty()
                ? "password=" : TestBackends.shared().dbPassword());
    }

    @Test
    void shouldLetOperatorsOpenAndResetTheBreakerWithATask() {
        HttpResponse<String> opened = admin("POST", "/tasks/circuit-breaker?name=database&action=open");
        assertThat(opened.statusCode()).isEqualTo(200);
        assertThat(isBreakerRejection(APP.get(path))).isTrue();

        HttpResponse<String> reset = admin("POST", "/tasks/circuit-breaker?name=database&action=reset");

        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(reset.body()).contains("CLOSED");
        assertThat(APP.get(path).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseABadTaskRequestSayingWhatWasWrongAndChangeNothing() {
        HttpResponse<String> bad = admin("POST", "/tasks/circuit-breaker?name=databse&action=open");

        // Dropwizard's task servlet answers any task error with 500; the body says what was wrong.
        assertThat(bad.statusCode()).isEqualTo(500);
        assertThat(bad.body()).contains("databse").contains("database|redis");
        assertThat(APP.get(path).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> admin(String method, String pathAndQuery) {
        return APP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.extension().getAdminPort()
                + pathAndQuery)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private static boolean isBreakerRejection(HttpResponse<String> response) {
        if (response.statusCode() != 503) {
            return false;
        }
        JsonNode body = Json.parse(response.body());
        return body.get("code").asInt() == 503
                && body.get("message").asText().matches("database unavailable, retry after \\d+ s");
    }

    private static long gauge(String name) {
        return Json.parse(admin("GET", "/metrics").body()).get("gauges").get(name).get("value").asLong();
    }

    private void enableDatabase() {
        try {
            DATABASE.enable();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
