package dev.bulwark.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.service.testing.Json;
import dev.bulwark.service.testing.TestApp;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole application over real HTTP, PostgreSQL and Redis: one item through its life. */
class BulwarkApplicationIT {

    @RegisterExtension
    static final TestApp APP = TestApp.create();

    @Test
    void shouldServeAnItemThroughItsWholeLifeWithTheCacheInFront() {
        String path = "/items/life-" + UUID.randomUUID();

        // Given a new item
        HttpResponse<String> created = APP.putJson(path, Json.item("widget", 3));
        assertThat(created.statusCode()).isEqualTo(201);

        // When it is read twice, Then the first read misses the cache and the second hits it
        HttpResponse<String> first = APP.get(path);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(Json.parse(first.body()).get("name").asText()).isEqualTo("widget");
        HttpResponse<String> second = APP.get(path);
        assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(Json.parse(second.body())).isEqualTo(Json.parse(first.body()));

        // When it is replaced, Then the next read shows the new value, not the cached one
        HttpResponse<String> replaced = APP.putJson(path, Json.item("gadget", 7));
        assertThat(replaced.statusCode()).isEqualTo(200);
        HttpResponse<String> afterReplace = APP.get(path);
        JsonNode item = Json.parse(afterReplace.body());
        assertThat(afterReplace.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(item.get("name").asText()).isEqualTo("gadget");
        assertThat(item.get("quantity").asInt()).isEqualTo(7);
        assertThat(item.get("version").asLong()).isEqualTo(2);

        // When it is deleted, Then it is gone, from the cache too
        assertThat(APP.delete(path).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = APP.get(path);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(Json.parse(gone.body()).get("code").asInt()).isEqualTo(404);
    }

    @Test
    void shouldReportDatabaseAndRedisHealthOnTheAdminPort() {
        HttpResponse<String> health = APP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + APP.extension().getAdminPort() + "/healthcheck")));

        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode checks = Json.parse(health.body());
        assertThat(checks.get("database").get("healthy").asBoolean()).isTrue();
        assertThat(checks.get("redis").get("healthy").asBoolean()).isTrue();
    }

    @Test
    void shouldBindTheAdminPortToLoopbackByDefault() {
        DefaultServerFactory server = (DefaultServerFactory) APP.extension().getConfiguration().getServerFactory();

        assertThat(((HttpConnectorFactory) server.getAdminConnectors().get(0)).getBindHost()).isEqualTo("127.0.0.1");
    }
}
