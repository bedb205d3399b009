package dev.bulwark.resilience.redis;

import dev.bulwark.resilience.Probe;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * "Does Redis answer now?": a fresh connection (not the pool's, which may hold connections Redis has dropped)
 * with the client settings of {@link ResilientRedisFactory}, then {@code PING}, bounded by the Redis timeout.
 * Used by the start-up gate and the breaker's prober. Thread-safe.
 */
final class RedisProbe implements Probe {

    private final HostAndPort address;
    private final DefaultJedisClientConfig client;

    RedisProbe(HostAndPort address, DefaultJedisClientConfig client) {
        this.address = address;
        this.client = client;
    }

    @Override
    public void check() {
        try (Jedis jedis = new Jedis(address, client)) {
            jedis.ping();
        }
    }
}
