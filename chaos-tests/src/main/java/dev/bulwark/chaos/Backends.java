package dev.bulwark.chaos;

import dev.bulwark.embedded.EmbeddedBackends;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the real PostgreSQL and Redis are, as seen from this JVM: the chaos suite reads PostgreSQL
 * here directly (never through a proxy) to check the ledger, and points the proxies' upstreams here.
 *
 * @param source     "environment", "embedded" or "testcontainers", for logs and the report
 * @param jdbcUrl    JDBC URL of a database the suite may create tables in
 * @param dbUser     database user
 * @param dbPassword database password, may be empty
 * @param redisUrl   {@code redis://[[user]:password@]host:port/db}
 */
public record Backends(String source, String jdbcUrl, String dbUser, String dbPassword, String redisUrl) {

    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://)([^:/?]+)(?::(\\d+))?(/.*)?");

    /**
     * {@code BULWARK_TEST_DB_URL} (with {@code BULWARK_TEST_DB_USER}, default postgres, and
     * {@code BULWARK_TEST_DB_PASSWORD}, default empty) and {@code BULWARK_TEST_REDIS_URL}, when both URLs are set.
     */
    public static Optional<Backends> fromEnvironment() {
        String db = System.getenv("BULWARK_TEST_DB_URL");
        String redis = System.getenv("BULWARK_TEST_REDIS_URL");
        if (db == null || db.isBlank() || redis == null || redis.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Backends("environment", db, envOr("BULWARK_TEST_DB_USER", "postgres"),
                envOr("BULWARK_TEST_DB_PASSWORD", ""), redis));
    }

    /**
     * The embedded PostgreSQL and Redis of the {@code dev} command ({@code bulwark-embedded}), stopped when
     * the JVM exits.
     */
    public static Backends embedded() {
        try {
            EmbeddedBackends backends = EmbeddedBackends.start();
            Runtime.getRuntime().addShutdownHook(new Thread(backends::close, "embedded-backends-stop"));
            return new Backends("embedded", backends.jdbcUrl(), backends.jdbcUser(), "", backends.redisUrl());
        } catch (IOException e) {
            throw new IllegalStateException("could not start embedded PostgreSQL and Redis for the chaos suite", e);
        }
    }

    /** {@code host:port} of PostgreSQL. */
    public String databaseAddress() {
        Matcher url = parseJdbc(jdbcUrl);
        return url.group(2) + ":" + (url.group(3) == null ? "5432" : url.group(3));
    }

    /** {@code host:port} of Redis. */
    public String redisAddress() {
        URI uri = URI.create(redisUrl);
        return uri.getHost() + ":" + (uri.getPort() == -1 ? 6379 : uri.getPort());
    }

    /** The JDBC URL with its host and port replaced by {@code hostAndPort} (a proxy's listen address). */
    public String jdbcUrlVia(String hostAndPort) {
        Matcher url = parseJdbc(jdbcUrl);
        return url.group(1) + hostAndPort + (url.group(4) == null ? "" : url.group(4));
    }

    /** The Redis URL with its host and port replaced by {@code hostAndPort}, credentials and database kept. */
    public String redisUrlVia(String hostAndPort) {
        URI uri = URI.create(redisUrl);
        String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + userInfo + hostAndPort + path;
    }

    private static Matcher parseJdbc(String jdbcUrl) {
        Matcher url = JDBC_URL.matcher(jdbcUrl);
        if (!url.matches()) {
            throw new IllegalStateException("cannot read host and port from the database URL "
                    + jdbcUrl.replaceFirst("\\?.*$", ""));
        }
        return url;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
