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
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Recovery follows the dependency, not a timer, with the DEFAULT resilience settings of config.yml (reset
 * times of 60 s and 30 s, deadlines of 3 s and 0.5 s, a 100 ms first probe interval): only the addresses
 * change, so that the test can take PostgreSQL or Redis away (behind a forwarder) for 5 s, as a restart does.
 * Clients keep coming throughout.
 */
class ProbeRecoveryIT {

    private static final TcpForwarder DATABASE = TestBackends.shared().databaseForwarder();
    private static final TcpForwarder REDIS = TestBackends.shared().redisForwarder();

    @RegisterExtension
    static final TestApp APP = TestApp.create(Map.of(
            "database.url", TestBackends.shared().jdbcUrlVia(DATABASE.port()),
            "redis.url", TestBackends.shared().redisUrlVia(REDIS.port())));

    @AfterAll
    static void closeForwarders() throws IOException {
        DATABASE.close();
        REDIS.close();
    }

    @Test
    void shouldServeCacheHitsAgainWithinOneSecondOfRedisReturning() throws Exception {
        String path = "/items/redis-restart-" + UUID.randomUUID();
        assertThat(APP.putJson(path, Json.item("cached", 1)).statusCode()).isEqualTo(201);
        try {
            // Given Redis goes away for 5 s while reads keep coming, and its breaker opens
            REDIS.disable();
            long downAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                APP.get(path);
                return breaker("redis").get("state").asText().equals("OPEN");
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                assertThat(APP.get(path).headers().firstValue("X-Cache")).hasValue("BYPASS");
                return System.nanoTime() - downAt >= 5_000_000_000L;
            });

            // When Redis accepts connections again
            REDIS.enable();
            long back = System.nanoTime();

            // Then reads are cache hits again within 1 s, though Redis's reset time is 30 s
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> APP.get(path).headers().firstValue("X-Cache").orElse("").equals("HIT"));
            Duration hits = Duration.ofNanos(System.nanoTime() - back);
            System.out.printf("[ProbeRecoveryIT] after a 5 s Redis outage: cache hits %d ms after Redis returned%n",
                    hits.toMillis());
            assertThat(hits).isLessThan(Duration.ofSeconds(1));
        } finally {
            REDIS.enable();
        }
    }

    @Test
    void shouldWriteAgainWithinOneSecondAndReportTheDatabaseHealthyWithinOneAndAHalfOfItsReturn() throws Exception {
        String path = "/items/restart-" + UUID.randomUUID();
        assertThat(APP.putJson(path, Json.item("before", 1)).statusCode()).isEqualTo(201);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            // Given writers that keep coming while the database is down for 5 s, long enough to open the breaker
            for (int i = 0; i < 4; i++) {
                writers.submit(() -> {
                    while (writing.get()) {
                        APP.putJson(path, Json.item("during", 2));
                    }
                });
            }
            DATABASE.disable();
            long downAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).until(() -> breaker("database").get("state").asText().equals("OPEN"));
            await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - downAt >= 5_000_000_000L);
            // (readiness stays up through a database outage, Redis being reachable; the database's own check fails)
            assertThat(databaseHealthy()).isFalse();
            assertThat(APP.get("/health-check?type=ready").statusCode()).isEqualTo(200);

            // When the database accepts connections again
            DATABASE.enable();
            long back = System.nanoTime();

            // Then a write succeeds within 1 s and the database's check passes within 1.5 s, though the reset time is 60 s
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> APP.putJson(path, Json.item("after", 3)).statusCode() == 200);
            Duration writable = Duration.ofNanos(System.nanoTime() - back);
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(ProbeRecoveryIT::databaseHealthy);
            Duration ready = Duration.ofNanos(System.nanoTime() - back);

            System.out.printf("[ProbeRecoveryIT] after a 5 s outage: writable %d ms, database check healthy %d ms after the database returned%n",
                    writable.toMillis(), ready.toMillis());
            assertThat(writable).isLessThan(Duration.ofSeconds(1));
            assertThat(ready).isLessThan(Duration.ofMillis(1500));
            JsonNode breaker = breaker("database");
            assertThat(breaker.get("probesSucceeded").asLong()).isEqualTo(1);
            assertThat(breaker.get("probesFailed").asLong()).isPositive();
        } finally {
            writing.set(false);
            writers.shutdown();
            DATABASE.enable();
        }
    }

    private static boolean databaseHealthy() {
        String body = APP.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + APP.extension().getAdminPort() + "/healthcheck")).GET()).body();
        return Json.parse(body).get("database").get("healthy").asBoolean();
    }

    private static JsonNode breaker(String dependency) {
        String body = APP.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + APP.extension().getAdminPort() + "/pool-stats")).GET()).body();
        return Json.parse(body).get(dependency).get("breaker");
    }
}
