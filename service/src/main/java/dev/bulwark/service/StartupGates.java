package dev.bulwark.service;

import dev.bulwark.resilience.ResilienceConfig;
import dev.bulwark.resilience.StartupGate;
import dev.bulwark.service.cache.RedisEndpoint;
import dev.bulwark.service.cache.RedisFactory;
import io.dropwizard.db.DataSourceFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Waits, before the server takes traffic, until PostgreSQL (always) and Redis (when
 * {@code REDIS_REQUIRED}) answer, with the retry knobs of each dependency, so a pod that starts
 * before its database does not crash-loop. Each probe is a fresh connection, not the pool.
 */
final class StartupGates {

    private StartupGates() {
    }

    /** Waits for PostgreSQL: connect, {@code SELECT 1}. */
    static void awaitDatabase(DataSourceFactory database, ResilienceConfig resilience) {
        gate("DB", "database", jdbcAddress(database.getUrl()), resilience).await(() -> {
            Properties properties = new Properties();
            properties.putAll(database.getProperties());
            if (database.getUser() != null) {
                properties.setProperty("user", database.getUser());
            }
            if (database.getPassword() != null) {
                properties.setProperty("password", database.getPassword());
            }
            try (Connection connection = DriverManager.getConnection(database.getUrl(), properties);
                 Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
            }
        });
    }

    /** Waits for Redis: connect, {@code PING}. */
    static void awaitRedis(RedisFactory redis, ResilienceConfig resilience) {
        RedisEndpoint endpoint = redis.endpoint();
        gate("Redis", "redis", endpoint.address(), resilience).await(() -> {
            DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                    .timeoutMillis(redis.getTimeoutMs()).database(endpoint.database()).ssl(endpoint.ssl());
            endpoint.user().ifPresent(config::user);
            endpoint.password().ifPresent(config::password);
            try (Jedis jedis = new Jedis(new HostAndPort(endpoint.host(), endpoint.port()), config.build())) {
                jedis.ping();
            }
        });
    }

    private static StartupGate gate(String label, String dependency, String address, ResilienceConfig resilience) {
        return StartupGate.builder(label, dependency, address)
                .withAttempts(resilience.getMaxRetries())
                .withBackoff(resilience.startupBackoff())
                .build();
    }

    /** {@code host:port} of a {@code jdbc:postgresql://host[:port][/db][?params]} URL; never its parameters. */
    static String jdbcAddress(String url) {
        String rest = url.replaceFirst("^jdbc:[a-z]+://", "");
        int end = rest.length();
        for (char stop : new char[] {'/', '?'}) {
            int at = rest.indexOf(stop);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        String hosts = rest.substring(0, end).replaceFirst("^.*@", "");
        if (hosts.isEmpty()) {
            return "localhost:5432";
        }
        return hosts.contains(":") || hosts.contains(",") ? hosts : hosts + ":5432";
    }
}
