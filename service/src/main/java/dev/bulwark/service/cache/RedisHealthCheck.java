package dev.bulwark.service.cache;

import com.codahale.metrics.health.HealthCheck;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The {@code redis} health check: healthy when the server answers PING. Its messages name the
 * endpoint without credentials. Thread-safe.
 */
public final class RedisHealthCheck extends HealthCheck {

    private final UnifiedJedis redis;
    private final RedisEndpoint endpoint;

    public RedisHealthCheck(UnifiedJedis redis, RedisEndpoint endpoint) {
        this.redis = redis;
        this.endpoint = endpoint;
    }

    @Override
    protected Result check() {
        try {
            String pong = redis.ping();
            return "PONG".equals(pong)
                    ? Result.healthy("redis at %s answers PING", endpoint.address())
                    : Result.unhealthy("redis at %s answered PING with '%s'", endpoint.address(), pong);
        } catch (JedisException e) {
            return Result.unhealthy("redis at %s unreachable: %s", endpoint.address(), e.getMessage());
        }
    }
}
