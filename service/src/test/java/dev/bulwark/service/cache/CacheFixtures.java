package dev.bulwark.service.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.redis.ResilientRedis;
import dev.bulwark.service.errors.StrictJson;
import io.dropwizard.jackson.Jackson;
import java.time.Duration;
import redis.clients.jedis.RedisClient;

/** What the cache tests build an {@link ItemCache} from. */
final class CacheFixtures {

    private CacheFixtures() {
    }

    /** {@code client} behind a breaker that retries once, 1 ms later, within 500 ms: quick to give up. */
    static ResilientRedis resilient(RedisClient client) {
        return new ResilientRedis(client, Resilient.builder("redis").withMaxRetries(1)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(1)).withJitter(0)
                .withDeadline(Duration.ofMillis(500)).build());
    }

    /** The service's strict JSON mapper. */
    static ObjectMapper mapper() {
        ObjectMapper mapper = Jackson.newObjectMapper();
        StrictJson.configure(mapper);
        return mapper;
    }
}
