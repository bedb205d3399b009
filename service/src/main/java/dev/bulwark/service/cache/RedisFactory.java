package dev.bulwark.service.cache;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bulwark.resilience.PoolSnapshot;
import dev.bulwark.resilience.PoolStats;
import dev.bulwark.resilience.ResilienceConfig;
import dev.bulwark.resilience.ResilienceMetrics;
import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.health.CircuitBreakerHealthCheck;
import dev.bulwark.resilience.redis.ResilientRedis;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.Pool;

/**
 * Config-bound factory for the Redis client: {@code url} ({@code REDIS_URL}, default
 * {@code redis://127.0.0.1:6379/0}), {@code poolSize} ({@code REDIS_POOL_SIZE}, default 8) and
 * {@code timeoutMs} ({@code REDIS_TIMEOUT_MS}, connect and socket timeout, default 500).
 *
 * <p>{@link #build} creates the client behind the {@code redis} policies, closes it when the server
 * stops, and registers the {@code redis} health check (breaker state, counters, pool; "degraded" when
 * failing, since the service then serves from PostgreSQL) and the {@code resilience.redis.*} metrics.
 * Mutable while Jackson binds it; read-only afterwards.
 */
public class RedisFactory {

    private String url = "redis://127.0.0.1:6379/0";

    @Min(value = 1, message = "(REDIS_POOL_SIZE) must be at least 1")
    @Max(value = 1024, message = "(REDIS_POOL_SIZE) must be at most 1024")
    private int poolSize = 8;

    @Min(value = 1, message = "(REDIS_TIMEOUT_MS) must be at least 1")
    @Max(value = 60_000, message = "(REDIS_TIMEOUT_MS) must be at most 60000")
    private int timeoutMs = 500;

    @JsonProperty
    public String getUrl() {
        return url;
    }

    @JsonProperty
    public void setUrl(String url) {
        this.url = url;
    }

    @JsonProperty
    public int getPoolSize() {
        return poolSize;
    }

    @JsonProperty
    public void setPoolSize(int poolSize) {
        this.poolSize = poolSize;
    }

    @JsonProperty
    public int getTimeoutMs() {
        return timeoutMs;
    }

    @JsonProperty
    public void setTimeoutMs(int timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    /** The parsed {@link #getUrl() url}. */
    public RedisEndpoint endpoint() {
        return RedisEndpoint.parse(url);
    }

    // The message deliberately omits the value: a Redis URL may carry a password.
    @ValidationMethod(message = "url (REDIS_URL) must look like " + RedisEndpoint.FORMAT)
    public boolean isUrlWellFormed() {
        try {
            RedisEndpoint.parse(url);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The client settings of every connection: timeouts, database, TLS, credentials and the client name. */
    public DefaultJedisClientConfig clientConfig() {
        RedisEndpoint endpoint = endpoint();
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMs)
                .socketTimeoutMillis(timeoutMs)
                .database(endpoint.database())
                .ssl(endpoint.ssl())
                .clientName("bulwark");
        endpoint.user().ifPresent(client::user);
        endpoint.password().ifPresent(client::password);
        return client.build();
    }

    /**
     * Builds the client and its policies (probed with {@link RedisProbe} while the breaker is open), and
     * registers lifecycle, health check and metrics.
     */
    public ResilientRedis build(Environment environment, ResilienceConfig resilience) {
        RedisEndpoint endpoint = endpoint();

        ConnectionPoolConfig poolConfig = new ConnectionPoolConfig();
        poolConfig.setMaxTotal(poolSize);
        poolConfig.setMaxIdle(poolSize);
        poolConfig.setMinIdle(0);
        poolConfig.setMaxWait(Duration.ofMillis(timeoutMs));
        poolConfig.setJmxEnabled(false);

        RedisClient redis = RedisClient.builder()
                .hostAndPort(endpoint.host(), endpoint.port())
                .clientConfig(clientConfig())
                .poolConfig(poolConfig)
                .build();
        Resilient resilient = resilience.policies("redis")
                .withProbe(new RedisProbe(this), resilience.probeInterval()).build();
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                resilient.close();
                redis.close();
            }
        });
        Pool<?> pool = redis.getPool();
        PoolStats poolStats = () -> new PoolSnapshot(pool.getNumActive(), pool.getNumIdle(), pool.getNumWaiters(),
                pool.getMaxTotal());
        environment.healthChecks().register("redis", new DegradedWhenUnhealthy(
                new CircuitBreakerHealthCheck(resilient, poolStats, redis::ping),
                "serving from PostgreSQL without the cache"));
        ResilienceMetrics.register(environment.metrics(), resilient);
        return new ResilientRedis(redis, resilient, poolStats);
    }
}
