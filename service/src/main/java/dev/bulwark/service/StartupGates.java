package dev.bulwark.service;

import dev.bulwark.resilience.ResilienceConfig;
import dev.bulwark.resilience.StartupGate;
import dev.bulwark.service.cache.RedisFactory;
import dev.bulwark.service.cache.RedisProbe;
import dev.bulwark.service.db.DatabaseProbe;
import io.dropwizard.db.DataSourceFactory;

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
        gate("DB", "database", jdbcAddress(database.getUrl()), resilience).await(new DatabaseProbe(database)::check);
    }

    /** Waits for Redis: connect, {@code PING}. */
    static void awaitRedis(RedisFactory redis, ResilienceConfig resilience) {
        gate("Redis", "redis", redis.endpoint().address(), resilience).await(new RedisProbe(redis)::check);
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
