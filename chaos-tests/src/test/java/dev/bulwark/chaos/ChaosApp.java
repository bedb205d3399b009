package dev.bulwark.chaos;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.service.BulwarkApplication;
import dev.bulwark.service.BulwarkConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The service in-process (DropwizardAppExtension) on the real {@code service/config.yml}, connected to
 * PostgreSQL and Redis only through the {@code database} and {@code redis} proxies, with timings shrunk so
 * a scenario takes seconds: database retries every 100 ms (doubling, at most 1 s) within a 2 s deadline,
 * breaker after 3 failed calls, open for 1 s (the smallest the setting takes), a retry budget floor of
 * 50 a second; 1 s connect and 2 s socket
 * timeouts, 500 ms to wait for one of 8 pooled connections; Redis times out after 200 ms, retries once
 * within 300 ms, breaker after 3, open 1 s; health checks every 100 ms. Register one per test class:
 * {@code @RegisterExtension static final ChaosApp APP = ChaosApp.create();}.
 */
final class ChaosApp implements BeforeAllCallback, AfterAllCallback {

    /** How long the database and Redis breakers stay open. */
    static final Duration BREAKER_RESET = Duration.ofSeconds(1);
    /** The database retry deadline. */
    static final Duration DATABASE_DEADLINE = Duration.ofMillis(2000);
    /** The pool size. */
    static final int POOL_SIZE = 8;
    /** How long one Redis command may take. */
    static final Duration REDIS_TIMEOUT = Duration.ofMillis(200);
    /** The Redis retry deadline: past it, a read goes to PostgreSQL. */
    static final Duration REDIS_DEADLINE = Duration.ofMillis(300);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DropwizardAppExtension<BulwarkConfiguration> app;
    private final String applicationName;

    private ChaosApp(DropwizardAppExtension<BulwarkConfiguration> app, String applicationName) {
        this.app = app;
        this.applicationName = applicationName;
    }

    static ChaosApp create() {
        ChaosEnvironment environment = ChaosEnvironment.shared();
        String applicationName = "bulwark-chaos-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.applicationConnectors[0].port", "0");
        settings.put("server.adminConnectors[0].port", "0");
        settings.put("logging.level", "WARN");
        settings.put("database.url", environment.serviceJdbcUrl());
        settings.put("database.user", environment.backends().dbUser());
        settings.put("database.password", environment.backends().dbPassword());
        settings.put("database.maxSize", Integer.toString(POOL_SIZE));
        settings.put("database.maxWaitForConnection", "500ms");
        settings.put("database.validationQueryTimeout", "1s");
        settings.put("database.properties.connectTimeout", "1");
        settings.put("database.properties.socketTimeout", "2");
        // Our connections, told apart from everyone else's in pg_stat_activity.
        settings.put("database.properties.ApplicationName", applicationName);
        settings.put("redis.url", environment.serviceRedisUrl());
        settings.put("redis.timeoutMs", Long.toString(REDIS_TIMEOUT.toMillis()));
        settings.put("resilience.database.maxRetries", "10");
        settings.put("resilience.database.retryIntervalMs", "100");
        settings.put("resilience.database.maxBackoffSeconds", "1");
        settings.put("resilience.database.jitter", "0");
        settings.put("resilience.database.retryDeadlineMs", Long.toString(DATABASE_DEADLINE.toMillis()));
        settings.put("resilience.database.circuitFailureThreshold", "3");
        settings.put("resilience.database.circuitResetSeconds", Long.toString(BREAKER_RESET.toSeconds()));
        // Four test clients make few calls, so the budget's per-second floor (default 10) is what limits
        // retries: a 1 s outage then ends in 503s once it is spent, before the deadline. Production traffic
        // earns budget through the 20% ratio; the suite raises the floor to prove the deadline's claim.
        settings.put("resilience.database.retryBudgetPerSecond", "50");
        settings.put("resilience.redis.maxRetries", "1");
        settings.put("resilience.redis.retryIntervalMs", "50");
        settings.put("resilience.redis.jitter", "0");
        settings.put("resilience.redis.retryDeadlineMs", Long.toString(REDIS_DEADLINE.toMillis()));
        settings.put("resilience.redis.circuitFailureThreshold", "3");
        settings.put("resilience.redis.circuitResetSeconds", Long.toString(BREAKER_RESET.toSeconds()));
        for (int check = 0; check < 2; check++) {
            settings.put("health.healthChecks[" + check + "].schedule.checkInterval", "100ms");
            settings.put("health.healthChecks[" + check + "].schedule.downtimeInterval", "100ms");
        }
        ConfigOverride[] overrides = settings.entrySet().stream()
                .map(setting -> ConfigOverride.config(setting.getKey(), setting.getValue()))
                .toArray(ConfigOverride[]::new);
        String config = Path.of(System.getProperty("bulwark.service.config", "../service/config.yml"))
                .toAbsolutePath().toString();
        return new ChaosApp(new DropwizardAppExtension<>(BulwarkApplication.class, config, overrides), applicationName);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        app.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        app.afterAll(context);
    }

    /** The application port. */
    int port() {
        return app.getLocalPort();
    }

    /** {@code ApplicationName} of this instance's database connections. */
    String applicationName() {
        return applicationName;
    }

    HttpResponse<String> get(String path) {
        return send(port(), "GET", path, null);
    }

    HttpResponse<String> put(String path, String name, int quantity) {
        return send(port(), "PUT", path, JSON.createObjectNode().put("name", name).put("quantity", quantity).toString());
    }

    HttpResponse<String> admin(String method, String path) {
        return send(app.getAdminPort(), method, path, null);
    }

    int readiness() {
        return get("/health-check?type=ready").statusCode();
    }

    int liveness() {
        return get("/health-check?type=alive").statusCode();
    }

    /** {@code database.breaker.state} (or redis) from the admin port's {@code /pool-stats}. */
    String breakerState(String dependency) {
        return poolStats().get(dependency).get("breaker").get("state").asText();
    }

    JsonNode poolStats() {
        return parse(admin("GET", "/pool-stats").body());
    }

    /** A gauge from the admin port's {@code /metrics}, e.g. {@code resilience.database.transitions.open}. */
    long gauge(String name) {
        return parse(admin("GET", "/metrics").body()).get("gauges").get(name).get("value").asLong();
    }

    /** The admin port's {@code /healthcheck} entry for {@code check}. */
    JsonNode health(String check) {
        return parse(admin("GET", "/healthcheck").body()).get(check);
    }

    /** Both breakers closed with their failure counts forgotten, and readiness passing again. */
    void resetAndAwaitReady() {
        for (String dependency : new String[] {"database", "redis"}) {
            HttpResponse<String> reset = admin("POST", "/tasks/circuit-breaker?name=" + dependency + "&action=reset");
            if (reset.statusCode() != 200) {
                throw new IllegalStateException("could not reset the " + dependency + " breaker: " + reset.body());
            }
        }
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> readiness() == 200
                && health("redis").get("healthy").asBoolean());
    }

    /** Readiness passes, and an item can be written and read back. */
    boolean fullyServing(String probePath) {
        return readiness() == 200 && put(probePath, "probe", 1).statusCode() / 100 == 2
                && get(probePath).statusCode() == 200;
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    private static HttpResponse<String> send(int port, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " got no response", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
