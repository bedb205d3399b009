package dev.bulwark.service.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.service.testing.Json;
import dev.bulwark.service.testing.TcpForwarder;
import dev.bulwark.service.testing.TestApp;
import dev.bulwark.service.testing.TestBackends;
import java.io.IOException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole service with Redis behind a forwarder the test takes away and brings back: the cache may
 * be bypassed, never wrong. Timings are shrunk: 200 ms Redis timeout, breaker open for 1 s.
 */
class RedisOutageIT {

    private static final TcpForwarder REDIS = TestBackends.shared().redisForwarder();

    @RegisterExtension
    static final TestApp APP = TestApp.create(Map.ofEntries(
            Map.entry("redis.url", TestBackends.shared().redisUrlVia(REDIS.port())),
            Map.entry("redis.timeout", "200ms"),
            Map.entry("resilience.dependencies.redis.maxRetries", "1"),
            Map.entry("resilience.dependencies.redis.retryInterval", "50ms"),
            Map.entry("resilience.dependencies.redis.jitter", "0"),
            Map.entry("resilience.dependencies.redis.retryDeadline", "300ms"),
            Map.entry("resilience.dependencies.redis.circuitFailureThreshold", "3"),
            Map.entry("resilience.dependencies.redis.circuitReset", "1s"),
            Map.entry("health.healthChecks[1].schedule.checkInterval", "100ms"),
            Map.entry("health.healthChecks[1].schedule.downtimeInterval", "100ms")));

    private String path;

    @BeforeEach
    void redisIsUp() throws IOException {
        REDIS.enable();
        path = "/items/redis-" + UUID.randomUUID();
    }

    @AfterAll
    static void closeForwarder() throws IOException {
        REDIS.close();
    }

    @Test
    void shouldServeFromDatabaseWhileRedisIsDownAndResumeCachingAfter() throws IOException {
        // Given a cached item
        assertThat(APP.putJson(path, Json.item("cached", 1)).statusCode()).isEqualTo(201);
        awaitCache("HIT");

        // When Redis goes away, Then reads and writes still succeed from PostgreSQL
        REDIS.disable();
        HttpResponse<String> read = APP.get(path);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("X-Cache")).hasValue("BYPASS");
        assertThat(APP.putJson(path, Json.item("written while down", 2)).statusCode()).isEqualTo(200);
        HttpResponse<String> reread = APP.get(path);
        assertThat(reread.statusCode()).isEqualTo(200);
        assertThat(name(reread)).isEqualTo("written while down");

        // When Redis comes back, Then cache hits resume, with the latest value
        REDIS.enable();
        HttpResponse<String> hit = awaitCache("HIT");
        assertThat(name(hit)).isEqualTo("written while down");
    }

    @Test
    void shouldNeverServeACopyCachedBeforeAWriteMadeWhileRedisWasDown() throws IOException {
        // Given version 1 is in the cache
        APP.putJson(path, Json.item("version 1", 1));
        awaitCache("HIT");

        // When version 2 is written while Redis is unreachable (its invalidation cannot be sent)
        REDIS.disable();
        assertThat(APP.putJson(path, Json.item("version 2", 2)).statusCode()).isEqualTo(200);
        REDIS.enable();

        // Then every read, before and after caching resumes, returns version 2
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            HttpResponse<String> read = APP.get(path);
            assertThat(name(read)).as("X-Cache " + read.headers().firstValue("X-Cache")).isEqualTo("version 2");
            assertThat(read.headers().firstValue("X-Cache")).hasValue("HIT");
        });
    }

    @Test
    void shouldStayReadyAndReportDegradedWhileRedisIsDown() throws IOException {
        REDIS.disable();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode redis = Json.parse(APP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + APP.extension().getAdminPort() + "/healthcheck"))).body()).get("redis");
            assertThat(redis.get("healthy").asBoolean()).isFalse();
            assertThat(redis.get("message").asText()).startsWith("degraded");
        });
        assertThat(APP.get("/health-check?type=ready").statusCode()).isEqualTo(200);
        assertThat(APP.get("/health-check?type=alive").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> awaitCache(String status) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> APP.get(path), r -> r.headers().firstValue("X-Cache").orElse("").equals(status));
    }

    private static String name(HttpResponse<String> response) {
        return Json.parse(response.body()).get("name").asText();
    }
}
