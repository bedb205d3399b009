package dev.bulwark.service.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.service.api.Item;
import dev.bulwark.service.testing.Ports;
import dev.bulwark.service.testing.TestBackends;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/** {@link ItemCache} against a real Redis, and against one that is not there. */
class ItemCacheIT {

    private static final int TTL_SECONDS = 120;

    private static RedisClient redis;
    private static ItemCache cache;

    @BeforeAll
    static void connect() {
        redis = TestBackends.shared().redisClient();
        cache = new ItemCache(CacheFixtures.resilient(redis), CacheFixtures.mapper(), TTL_SECONDS);
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @Test
    void shouldHitAfterAFillWithTheSameItem() {
        Item item = item(newId(), 1);

        assertThat(cache.lookup(item.id()).status()).isEqualTo(CacheStatus.MISS);
        assertThat(cache.fill(item)).isTrue();

        CacheLookup lookup = cache.lookup(item.id());
        assertThat(lookup.status()).isEqualTo(CacheStatus.HIT);
        assertThat(lookup.item()).contains(item);
        assertThat(redis.ttl(ItemCache.entryKey(item.id()))).isBetween(1L, (long) TTL_SECONDS);
    }

    @Test
    void shouldMissAfterAnInvalidation() {
        Item item = item(newId(), 1);
        cache.fill(item);

        assertThat(cache.invalidate(item.id(), 2)).isTrue();

        assertThat(cache.lookup(item.id()).status()).isEqualTo(CacheStatus.MISS);
    }

    @Test
    void shouldRefuseToCacheAnOlderCopyAfterANewerWrite() {
        // Given a reader that fetched version 1 from PostgreSQL, and a writer that then stored version 2
        String id = newId();
        Item stale = item(id, 1);
        cache.invalidate(id, 2);

        // When the slow reader tries to cache what it read
        cache.fill(stale);

        // Then the old copy is not served; the current one can be cached
        assertThat(cache.lookup(id).status()).isEqualTo(CacheStatus.MISS);
        Item current = item(id, 2);
        cache.fill(current);
        assertThat(cache.lookup(id).item()).contains(current);
    }

    @Test
    void shouldNeverLowerTheFloorWhenInvalidationsArriveOutOfOrder() {
        String id = newId();
        cache.invalidate(id, 5);
        cache.invalidate(id, 4);

        cache.fill(item(id, 4));

        assertThat(cache.lookup(id).status()).isEqualTo(CacheStatus.MISS);
    }

    @Test
    void shouldNotCacheAnyCopyOfADeletedItem() {
        String id = newId();
        cache.fill(item(id, 7));

        cache.invalidateDeleted(id);
        cache.fill(item(id, 7));

        assertThat(cache.lookup(id).status()).isEqualTo(CacheStatus.MISS);
    }

    @Test
    void shouldTreatAnUnreadableEntryAsAMiss() {
        String id = newId();
        redis.set(ItemCache.entryKey(id), "{not json");

        assertThat(cache.lookup(id).status()).isEqualTo(CacheStatus.MISS);
    }

    @Test
    void shouldBypassWithoutThrowingWhenRedisIsNotThere() {
        int closedPort = Ports.freeLoopbackPort();
        try (RedisClient absent = RedisClient.builder().hostAndPort("127.0.0.1", closedPort)
                .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(200).build()).build()) {
            ItemCache unreachable = new ItemCache(CacheFixtures.resilient(absent), CacheFixtures.mapper(), TTL_SECONDS);
            Item item = item(newId(), 1);

            assertThat(unreachable.lookup(item.id()).status()).isEqualTo(CacheStatus.BYPASS);
            assertThat(unreachable.fill(item)).isFalse();
            assertThat(unreachable.invalidate(item.id(), 2)).isFalse();
            assertThat(unreachable.invalidateDeleted(item.id())).isFalse();
        }
    }

    private static Item item(String id, long version) {
        return new Item(id, "name-" + version, (int) version, version, Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    private static String newId() {
        return "cache-" + UUID.randomUUID();
    }
}
