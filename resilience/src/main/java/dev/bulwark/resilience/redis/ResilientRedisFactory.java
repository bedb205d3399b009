package dev.bulwark.resilience.redis;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bulwark.resilience.Dependency;
import dev.bulwark.resilience.PoolSnapshot;
import dev.bulwark.resilience.PoolStats;
import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.bundle.DependencyPolicy;
import dev.bulwark.resilience.bundle.ResilienceContext;
import dev.bulwark.resilience.health.DegradedWhenUnhealthy;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.Pool;

/**
 * A config-bound Redis client (Jedis): {@code url} (default {@code redis://127.0.0.1:6379/0}, see
 * {@link RedisEndpoint}), {@code poolSize} (default 8) and {@code timeout} (connect and socket timeout, and the
 * longest wait for a pooled connection, default 500ms). {@link #build(Environment, String)} makes it resilient
 * under the policy of the same name in {@code resilience.dependencies}; it needs the
 * {@link dev.bulwark.resilience.bundle.ResilienceBundle}. Mutable while Jackson binds it; build it once.
 */
public class ResilientRedisFactory {

    private String url = "redis://127.0.0.1:6379/0";

    @Min(1)
    @Max(1024)
    private int poolSize = 8;

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 60, unit = TimeUnit.SECONDS)
    private Duration timeout = Duration.milliseconds(500);

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
    public Duration getTimeout() {
        return timeout;
    }

    @JsonProperty
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** The parsed {@link #getUrl() url}. */
    public RedisEndpoint endpoint() {
        return RedisEndpoint.parse(url);
    }

    // The message deliberately omits the value: a Redis URL may carry a password.
    @ValidationMethod(message = "url must look like " + RedisEndpoint.FORMAT)
    public boolean isUrlWellFormed() {
        try {
            RedisEndpoint.parse(url);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * As {@link #build(Environment, String, String)}, with a health check that fails plainly while Redis is
     * unreachable.
     */
    public ResilientRedis build(Environment environment, String name) {
        return build(environment, name, null);
    }

    /**
     * Waits for Redis at start-up (unless the policy says {@code required: false}), then builds the client with
     * its pool behind the policies (retry, budget, a breaker probed with a fresh connection and {@code PING} while
     * open), closes it when the server stops, and registers the health check {@code name} (breaker state,
     * counters, pool), the metrics {@code resilience.<name>.*}, and the dependency for {@code /pool-stats} and the
     * circuit-breaker task.
     *
     * @param degraded what the application does without Redis ({@code serving without the cache}): a failed
     *                 health check then reads {@code degraded (<degraded>): <why>}; null for a plain failure
     * @throws dev.bulwark.resilience.StartupFailedException if Redis never answered at start-up
     */
    public ResilientRedis build(Environment environment, String name, String degraded) {
        ResilienceContext context = ResilienceContext.of(environment);
        DependencyPolicy policy = context.policy(name);
        RedisEndpoint endpoint = endpoint();
        HostAndPort address = new HostAndPort(endpoint.host(), endpoint.port());
        DefaultJedisClientConfig client = clientConfig(endpoint);
        RedisProbe fresh = new RedisProbe(address, client);
        if (policy.isRequired()) {
            policy.startupGate("Redis", name, endpoint.address()).await(fresh);
        }

        ConnectionPoolConfig poolConfig = new ConnectionPoolConfig();
        poolConfig.setMaxTotal(poolSize);
        poolConfig.setMaxIdle(poolSize);
        poolConfig.setMinIdle(0);
        poolConfig.setMaxWait(timeout.toJavaDuration());
        poolConfig.setJmxEnabled(false);
        RedisClient redis = RedisClient.builder().hostAndPort(address).clientConfig(client).poolConfig(poolConfig)
                .build();
        Resilient resilient = policy.policies(name)
                .withProbe(fresh, policy.getProbeInterval().toJavaDuration()).build();
        Pool<?> pool = redis.getPool();
        PoolStats poolStats = () -> new PoolSnapshot(pool.getNumActive(), pool.getNumIdle(), pool.getNumWaiters(),
                pool.getMaxTotal());
        context.adopt(environment, new Dependency(name, resilient, poolStats, redis::ping),
                check -> degraded == null ? check : new DegradedWhenUnhealthy(check, degraded), redis::close);
        return new ResilientRedis(redis, resilient);
    }

    // Every connection's settings, the pool's and the probe's alike: timeouts, database, TLS, credentials.
    private DefaultJedisClientConfig clientConfig(RedisEndpoint endpoint) {
        int millis = (int) timeout.toMilliseconds();
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .database(endpoint.database())
                .ssl(endpoint.ssl());
        endpoint.user().ifPresent(client::user);
        endpoint.password().ifPresent(client::password);
        return client.build();
    }
}
