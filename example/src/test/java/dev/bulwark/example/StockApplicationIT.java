package dev.bulwark.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.service.testing.HttpTestClient;
import dev.bulwark.service.testing.TcpForwarder;
import dev.bulwark.service.testing.TestBackends;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The adoption proof: a Dropwizard application that is not Bulwark, with its own table, gets the library's
 * behaviour from the bundle and two factory calls alone. With its database cut (behind a forwarder), a request
 * that needs it is a fast 503 with {@code Retry-After}, the database's health check fails and readiness stays up
 * (the bundle's {@code dependencies} check: Redis is still reachable); once the database answers again, the
 * breaker's prober closes the breaker and writes and the database's check come back, well before the 60 s reset
 * time of the library's default policy.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StockApplicationIT {

    private static final TcpForwarder DATABASE = TestBackends.shared().databaseForwarder();
    private static final ObjectMapper JSON = new ObjectMapper();

    static final DropwizardAppExtension<StockConfiguration> APP = new DropwizardAppExtension<>(
            StockApplication.class, "config.yml",
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("database.url", TestBackends.shared().jdbcUrlVia(DATABASE.port())),
            ConfigOverride.config("database.user", TestBackends.shared().dbUser()),
            ConfigOverride.config("database.password", TestBackends.shared().dbPassword()),
            ConfigOverride.config("redis.url", TestBackends.shared().redisUrl()),
            ConfigOverride.config("logging.level", "WARN"));

    @AfterAll
    static void closeForwarder() throws IOException {
        DATABASE.close();
    }

    @Test
    void shouldAnswer503WithRetryAfterAndStayReadyWhileTheDatabaseIsDownThenRecoverOnItsReturn() throws Exception {
        HttpTestClient http = HttpTestClient.on(APP.getLocalPort());
        String sku = "/stock/sku-" + UUID.randomUUID();
        assertThat(put(http, sku, 7).statusCode()).isEqualTo(204);
        assertThat(http.get(sku).body()).contains("\"level\":7");
        try {
            // Given the database goes away
            DATABASE.disable();

            // Then a write that needs it fails fast with the library's 503, the database's own check fails, and
            // readiness stays up: Redis is still reachable (a shared database outage must not empty the load balancer)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> refused = put(http, sku, 8);
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(refused.body()).startsWith("{\"code\":503,\"message\":\"database unavailable, retry after ");
            });
            HttpTestClient admin = HttpTestClient.on(APP.getAdminPort());
            await().atMost(Duration.ofSeconds(5)).until(() -> !JSON.readTree(admin.get("/healthcheck").body())
                    .get("database").get("healthy").asBoolean());
            assertThat(http.statusOrMinusOne("/health-check?type=ready")).isEqualTo(200);

            // When it answers again
            DATABASE.enable();
            long back = System.nanoTime();

            // Then writes and the database's check return within seconds, though the policy's reset time is 60 s
            await().atMost(Duration.ofSeconds(10)).until(() -> put(http, sku, 9).statusCode() == 204);
            await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(admin.get("/healthcheck").body())
                    .get("database").get("healthy").asBoolean());
            assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(10));
            assertThat(http.get(sku).body()).contains("\"level\":9");
        } finally {
            DATABASE.enable();
        }
    }

    @Test
    void shouldShowBothDependenciesOnThePoolStatsOfTheAdminPort() {
        HttpResponse<String> stats = HttpTestClient.on(APP.getAdminPort()).get("/pool-stats");

        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(stats.body()).contains("\"database\"", "\"redis\"", "\"limit\"");
    }

    private static HttpResponse<String> put(HttpTestClient http, String path, int level) {
        return http.send(HttpRequest.newBuilder(http.uri(path)).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(Integer.toString(level))));
    }
}
