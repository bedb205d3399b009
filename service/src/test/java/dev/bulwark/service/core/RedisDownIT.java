package dev.bulwark.service.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.service.testing.Json;
import dev.bulwark.service.testing.Ports;
import dev.bulwark.service.testing.TestApp;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis is a cache: with {@code REDIS_REQUIRED=false} the service starts with no Redis at all, and
 * still reads and writes through PostgreSQL.
 */
class RedisDownIT {

    @RegisterExtension
    static final TestApp APP = TestApp.create(Map.of(
            "redis.url", "redis://127.0.0.1:" + Ports.freeLoopbackPort() + "/0",
            "redis.timeout", "200ms",
            "resilience.dependencies.redis.required", "false"));

    @Test
    void shouldServeFromDatabaseWhenRedisIsDown() {
        String path = "/items/noredis-" + UUID.randomUUID();

        assertThat(APP.putJson(path, Json.item("kept", 4)).statusCode()).isEqualTo(201);
        HttpResponse<String> read = APP.get(path);
        assertThat(APP.putJson(path, Json.item("changed", 5)).statusCode()).isEqualTo(200);
        HttpResponse<String> reread = APP.get(path);

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("X-Cache")).hasValue("BYPASS");
        assertThat(Json.parse(read.body()).get("name").asText()).isEqualTo("kept");
        assertThat(Json.parse(reread.body()).get("name").asText()).isEqualTo("changed");
        assertThat(APP.delete(path).statusCode()).isEqualTo(204);
        assertThat(APP.get(path).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldReportRedisUnhealthyWithoutFailingTheDatabaseCheck() {
        HttpResponse<String> health = APP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + APP.extension().getAdminPort() + "/healthcheck")));

        JsonNode checks = Json.parse(health.body());
        assertThat(checks.get("redis").get("healthy").asBoolean()).isFalse();
        assertThat(checks.get("redis").get("message").asText()).startsWith("degraded (serving from PostgreSQL");
        assertThat(checks.get("database").get("healthy").asBoolean()).isTrue();
    }
}
