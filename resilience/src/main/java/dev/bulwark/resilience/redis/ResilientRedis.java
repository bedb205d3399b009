package dev.bulwark.resilience.redis;

import dev.bulwark.resilience.DependencyUnavailableException;
import dev.bulwark.resilience.Resilient;
import java.util.function.Function;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Runs Redis commands through a {@link Resilient}: connection errors are retried within the (short)
 * deadline and budget and count towards the breaker; while it is open, commands fail at once. Callers
 * that treat Redis as a cache catch {@link DependencyUnavailableException} and carry on without it.
 * Errors Redis itself reports (wrong type, script errors) are not retried and pass through. Thread-safe.
 */
public final class ResilientRedis {

    private final UnifiedJedis redis;
    private final Resilient resilient;

    /** Commands on {@code redis} under {@code resilient}. */
    public ResilientRedis(UnifiedJedis redis, Resilient resilient) {
        this.redis = redis;
        this.resilient = resilient;
    }

    /**
     * Runs one command, e.g. {@code redis.run(r -> r.get(key))}.
     *
     * @throws DependencyUnavailableException if Redis could not be reached in time or the breaker is open
     * @throws JedisException                 for an error Redis itself returned
     */
    public <T> T run(Function<UnifiedJedis, T> command) {
        try {
            return resilient.call(() -> command.apply(redis));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // Jedis throws only unchecked exceptions; anything else is a bug worth seeing as one.
            throw new IllegalStateException("unexpected checked exception from a Redis command", e);
        }
    }

    /** The policies commands run under. */
    public Resilient resilient() {
        return resilient;
    }
}
