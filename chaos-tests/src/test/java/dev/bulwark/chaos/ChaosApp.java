package dev.bulwark.chaos;

import static org.assertj.core.api.Assertions.assertThat;
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
 * The service in-process (DropwizardAppExtension) on the real {@code service/config.yml}. Two kinds:
 * <ul>
 *   <li>{@link #create()}: connected to PostgreSQL and Redis only through the {@code database} and
 *       {@code redis} proxies, with timings shrunk so a scenario takes seconds: database retries every 100 ms
 *       (doubling, at most 1 s) within a 2 s deadline, breaker after 3 failed calls, open for 1 s (the bounds
 *       of DatabaseChaosIT were set for it), a retry budget floor of 50 a second; 1 s connect and 2 s socket timeouts, 500 ms to
 *       wait for one of 8 pooled connections; Redis times out after 200 ms, retries once within 300 ms, breaker
 *       after 3, open 1 s; health checks every 100 ms;</li>
 *   <li>{@link #withDefaults(Backends, String)}: every resilience, pool and health setting as a user runs it;
 *       only ports, addresses, credentials, the log level and the connections' {@code ApplicationName} are
 *       set. For the scenarios about recovery time and overload, which must hold with the defaults.</li>
 * </ul>
 * Register one per test class: {@code @RegisterExtension static final ChaosApp APP = ChaosApp.create();}.
 */
final class ChaosApp implements BeforeAllCallback, AfterAllCallback {

    /** How long the database and Redis breakers stay open. */
    static final Duration BREAKER_RESET = Duration.ofSeconds(1);
    /** The database retry deadline. */
    static final Duration DATABASE_DEADLINE = Duration.ofMillis(2000);
    /** The pool size. */
    static final int POOL_SIZE = 8;
    /** How long a caller waits for a pooled connection. */
    static final Duration POOL_WAIT = Duration.ofMillis(500);
    /** How long the validation of a borrowed connection may take. */
    static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(1);
    /** The JDBC connect timeout. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** The JDBC socket (read) timeout. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(2);
    /**
     * The longest one database attempt can take when every step of it hangs until its timeout: waiting for a
     * pooled connection, validating it (or connecting afresh), then the statement.
     */
    static final Duration LONGEST_ATTEMPT = POOL_WAIT.plus(VALIDATION_TIMEOUT).plus(CONNECT_TIMEOUT).plus(SOCKET_TIMEOUT);
    /** How long one Redis command may take. */
    static final Duration REDIS_TIMEOUT = Duration.ofMillis(200);
    /** The Redis retry deadline: past it, a read goes to PostgreSQL. */
    static final Duration REDIS_DEADLINE = Duration.ofMillis(300);

    /** System properties {@code chaos.override.<config key>} override that setting in every app of the run. */
    static final String OVERRIDE_PREFIX = "chaos.override.";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DropwizardAppExtension<BulwarkConfiguration> app;
    private final String applicationName;
    private final Backends database;

    private ChaosApp(DropwizardAppExtension<BulwarkConfiguration> app, String applicationName, Backends database) {
        this.app = app;
        this.applicationName = applicationName;
        this.database = database;
    }

    /** The service with shrunk timings, through the shared environment's proxies. */
    static ChaosApp create() {
        ChaosEnvironment environment = ChaosEnvironment.shared();
        String applicationName = newApplicationName();
        Map<String, String> settings = addresses(environment.serviceJdbcUrl(), environment.backends(),
                environment.serviceRedisUrl(), applicationName);
        settings.put("database.maxSize", Integer.toString(POOL_SIZE));
        settings.put("database.maxWaitForConnection", POOL_WAIT.toMillis() + "ms");
        settings.put("database.validationQueryTimeout", VALIDATION_TIMEOUT.toMillis() + "ms");
        settings.put("database.properties.connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
        settings.put("database.properties.socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        settings.put("redis.timeout", REDIS_TIMEOUT.toMillis() + "ms");
        settings.put("resilience.dependencies.database.maxRetries", "10");
        settings.put("resilience.dependencies.database.retryInterval", "100ms");
        settings.put("resilience.dependencies.database.maxBackoff", "1s");
        settings.put("resilience.dependencies.database.jitter", "0");
        settings.put("resilience.dependencies.database.retryDeadline", DATABASE_DEADLINE.toMillis() + "ms");
        settings.put("resilience.dependencies.database.circuitFailureThreshold", "3");
        settings.put("resilience.dependencies.database.circuitReset", BREAKER_RESET.toMillis() + "ms");
        // Four test clients make few calls, so the budget's per-second floor (default 10) is what limits
        // retries: a 1 s outage then ends in 503s once it is spent, before the deadline. Production traffic
        // earns budget through the 20% ratio; the suite raises the floor to prove the deadline's claim.
        settings.put("resilience.dependencies.database.retryBudgetPerSecond", "50");
        settings.put("resilience.dependencies.redis.maxRetries", "1");
        settings.put("resilience.dependencies.redis.retryInterval", "50ms");
        settings.put("resilience.dependencies.redis.jitter", "0");
        settings.put("resilience.dependencies.redis.retryDeadline", REDIS_DEADLINE.toMillis() + "ms");
        settings.put("resilience.dependencies.redis.circuitFailureThreshold", "3");
        settings.put("resilience.dependencies.redis.circuitReset", BREAKER_RESET.toMillis() + "ms");
        for (int check = 0; check < 2; check++) {
            settings.put("health.healthChecks[" + check + "].schedule.checkInterval", "100ms");
            settings.put("health.healthChecks[" + check + "].schedule.downtimeInterval", "100ms");
        }
        return build(settings, applicationName, environment.backends());
    }

    /**
     * The service with its default settings, reaching PostgreSQL at {@code serviceJdbcUrl} (directly, through a
     * proxy, or several hosts) and Redis through the shared {@code redis} proxy; {@code database} is where the
     * ledger check reads PostgreSQL directly afterwards.
     */
    static ChaosApp withDefaults(Backends database, String serviceJdbcUrl) {
        ChaosEnvironment environment = ChaosEnvironment.shared();
        String applicationName = newApplicationName();
        return build(addresses(serviceJdbcUrl, database, environment.serviceRedisUrl(), applicationName),
                applicationName, database);
    }

    private static String newApplicationName() {
        return "bulwark-chaos-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, String> addresses(String jdbcUrl, Backends credentials, String redisUrl,
                                                 String applicationName) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.applicationConnectors[0].port", "0");
        settings.put("server.adminConnectors[0].port", "0");
        settings.put("logging.level", "WARN");
        settings.put("database.url", jdbcUrl);
        settings.put("database.user", credentials.dbUser());
        settings.put("database.password", credentials.dbPassword());
        // Our connections, told apart from everyone else's in pg_stat_activity.
        settings.put("database.properties.ApplicationName", applicationName);
        settings.put("redis.url", redisUrl);
        return settings;
    }

    private static ChaosApp build(Map<String, String> settings, String applicationName, Backends database) {
        // Mutation checks: -Dchaos.override.resilience.dependencies.database.probeInterval=600s changes one setting of
        // every app in the run, to show that a scenario fails without what it proves.
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(OVERRIDE_PREFIX))
                .forEach(name -> settings.put(name.substring(OVERRIDE_PREFIX.length()), System.getProperty(name)));
        ConfigOverride[] overrides = settings.entrySet().stream()
                .map(setting -> ConfigOverride.config(setting.getKey(), setting.getValue()))
                .toArray(ConfigOverride[]::new);
        String config = Path.of(System.getProperty("bulwark.service.config", "../service/config.yml"))
                .toAbsolutePath().toString();
        return new ChaosApp(new DropwizardAppExtension<>(BulwarkApplication.class, config, overrides), applicationName,
                database);
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

    /** The admin port (health checks, metrics, tasks). */
    int adminPort() {
        return app.getAdminPort();
    }

    /** The PostgreSQL the service writes to, for reading it directly (never through a proxy). */
    Backends database() {
        return database;
    }

    /** The configuration the service runs with, overrides applied. */
    BulwarkConfiguration configuration() {
        return app.getConfiguration();
    }

    /** The database retry deadline the service runs with. */
    Duration databaseDeadline() {
        return configuration().getResilience().policy("database").getRetryDeadline().toJavaDuration();
    }

    /** The database pool's size the service runs with. */
    int poolSize() {
        return configuration().getDatabase().getMaxSize();
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
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(readiness()).as("readiness; database: %s", health("database")).isEqualTo(200);
            assertThat(health("redis").get("healthy").asBoolean()).as("redis: %s", health("redis")).isTrue();
        });
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
