package dev.bulwark.service.testing;

import com.codahale.metrics.MetricRegistry;
import dev.bulwark.embedded.EmbeddedBackends;
import dev.bulwark.resilience.redis.RedisEndpoint;
import dev.bulwark.service.db.SchemaMigrator;
import io.dropwizard.db.DataSourceFactory;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * The PostgreSQL and Redis every integration test uses, chosen once per test JVM:
 * <ol>
 *   <li>{@code BULWARK_TEST_DB_URL} (+ {@code BULWARK_TEST_DB_USER}, {@code BULWARK_TEST_DB_PASSWORD}) and
 *       {@code BULWARK_TEST_REDIS_URL} from the environment, when both URLs are set (CI);</li>
 *   <li>otherwise Testcontainers, when a Docker engine is available;</li>
 *   <li>otherwise the embedded servers of the {@code dev} command ({@code bulwark-embedded}).</li>
 * </ol>
 * Whatever it started is stopped when the JVM exits. Thread-safe.
 *
 * @param source     which of the three it is, for test logs
 * @param jdbcUrl    JDBC URL of a database the tests may create tables in
 * @param dbUser     database user
 * @param dbPassword database password (may be empty)
 * @param redisUrl   {@code redis://host:port/db}
 */
public record TestBackends(String source, String jdbcUrl, String dbUser, String dbPassword, String redisUrl) {

    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://)([^:/?]+)(?::(\\d+))?(/.*)?");

    /** The backends for this JVM, started on first use. */
    public static TestBackends shared() {
        return Holder.INSTANCE;
    }

    /** A forwarder to the database, for tests that take it away and bring it back. */
    public TcpForwarder databaseForwarder() {
        Matcher url = JDBC_URL.matcher(jdbcUrl);
        if (!url.matches()) {
            throw new IllegalStateException("cannot read host and port from " + jdbcUrl);
        }
        return forwarder(url.group(2), url.group(3) == null ? 5432 : Integer.parseInt(url.group(3)));
    }

    /** The JDBC URL, pointed at {@code 127.0.0.1:port} instead (e.g. a forwarder). */
    public String jdbcUrlVia(int port) {
        Matcher url = JDBC_URL.matcher(jdbcUrl);
        if (!url.matches()) {
            throw new IllegalStateException("cannot read host and port from " + jdbcUrl);
        }
        return url.group(1) + "127.0.0.1:" + port + (url.group(4) == null ? "" : url.group(4));
    }

    /** A forwarder to Redis. */
    public TcpForwarder redisForwarder() {
        RedisEndpoint endpoint = RedisEndpoint.parse(redisUrl);
        return forwarder(endpoint.host(), endpoint.port());
    }

    /** Migrates the database as the service does at start-up ({@link SchemaMigrator}); again, it is a no-op. */
    public void migrate() throws Exception {
        DataSourceFactory database = new DataSourceFactory();
        database.setDriverClass("org.postgresql.Driver");
        database.setUrl(jdbcUrl);
        database.setUser(dbUser);
        database.setPassword(dbPassword);
        SchemaMigrator.migrate(database, new MetricRegistry());
    }

    /** A Jdbi on the database, with the SQL object plugin the DAOs need. */
    public Jdbi jdbi() {
        return Jdbi.create(jdbcUrl, dbUser, dbPassword).installPlugin(new SqlObjectPlugin());
    }

    /** A new client of Redis, on the database number of the URL; close it. */
    public RedisClient redisClient() {
        RedisEndpoint endpoint = RedisEndpoint.parse(redisUrl);
        return RedisClient.builder().hostAndPort(endpoint.host(), endpoint.port())
                .clientConfig(DefaultJedisClientConfig.builder().database(endpoint.database()).build()).build();
    }

    /** The Redis URL, pointed at {@code 127.0.0.1:port} instead. */
    public String redisUrlVia(int port) {
        return "redis://127.0.0.1:" + port + "/" + RedisEndpoint.parse(redisUrl).database();
    }

    private static TcpForwarder forwarder(String host, int port) {
        try {
            return TcpForwarder.to(host, port);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code host:port} of the Redis server. */
    public String redisAddress() {
        return RedisEndpoint.parse(redisUrl).address();
    }

    private static final class Holder {
        private static final TestBackends INSTANCE = resolve();
    }

    private static TestBackends resolve() {
        TestBackends backends = fromEnvironment().orElseGet(() -> dockerAvailable() ? containers() : embedded());
        System.out.printf("Test backends: %s (PostgreSQL %s, Redis %s)%n", backends.source(),
                backends.jdbcUrl().replaceFirst("\\?.*$", ""), backends.redisAddress());
        return backends;
    }

    private static Optional<TestBackends> fromEnvironment() {
        String db = System.getenv("BULWARK_TEST_DB_URL");
        String redis = System.getenv("BULWARK_TEST_REDIS_URL");
        if (db == null || db.isBlank() || redis == null || redis.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new TestBackends("environment", db, envOr("BULWARK_TEST_DB_USER", "postgres"),
                envOr("BULWARK_TEST_DB_PASSWORD", ""), redis));
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // stopped by the shutdown hook
    private static TestBackends containers() {
        PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse("postgres:15-alpine"));
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:7-alpine"))
                .withExposedPorts(6379);
        postgres.start();
        redis.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            redis.stop();
            postgres.stop();
        }));
        return new TestBackends("testcontainers", postgres.getJdbcUrl(), postgres.getUsername(),
                postgres.getPassword(), "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379) + "/0");
    }

    private static TestBackends embedded() {
        try {
            EmbeddedBackends backends = EmbeddedBackends.start();
            Runtime.getRuntime().addShutdownHook(new Thread(backends::close));
            return new TestBackends("embedded", backends.jdbcUrl(), backends.jdbcUser(), "", backends.redisUrl());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not start embedded PostgreSQL and Redis for the tests", e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
