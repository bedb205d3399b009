package dev.bulwark.service.cache;

import dev.bulwark.resilience.Probe;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * "Does Redis answer now?": a fresh connection (not the pool's, which may hold connections Redis has
 * dropped) with the client settings of {@link RedisFactory}, then {@code PING}, bounded by the Redis timeout.
 * Used by the start-up gate and the breaker's prober. Thread-safe.
 */
public final class RedisProbe implements Probe {

    private final RedisFactory redis;

    public RedisProbe(RedisFactory redis) {
        this.redis = redis;
    }

    @Override
    public void check() {
        RedisEndpoint endpoint = redis.endpoint();
        try (Jedis jedis = new Jedis(new HostAndPort(endpoint.host(), endpoint.port()), redis.clientConfig())) {
            jedis.ping();
        }
    }
}
