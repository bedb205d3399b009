package dev.bulwark.service.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.resilience.Resilient;
import dev.bulwark.service.api.Item;
import dev.bulwark.service.core.ItemService;
import dev.bulwark.service.db.CacheOutboxDao;
import dev.bulwark.service.db.ItemDao;
import dev.bulwark.service.testing.Ports;
import dev.bulwark.service.testing.TestBackends;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * The transactional outbox of cache invalidations ({@code cache_invalidations}) against a real PostgreSQL and
 * Redis: written with the item or not at all, removed by a writer that reached Redis, kept by one that did
 * not, applied by {@link CacheOutboxRelay} (also by two at once), and pruned after the cache TTL.
 */
class CacheOutboxIT {

    private static final int TTL_SECONDS = 120;

    private static Jdbi jdbi;
    private static ItemDao dao;
    private static CacheOutboxDao outbox;
    private static RedisClient redis;
    private static RedisClient absentRedis;
    private static ItemCache cache;
    private static ItemCache unreachableCache;

    @BeforeAll
    static void connect() throws Exception {
        TestBackends backends = TestBackends.shared();
        backends.migrate();
        jdbi = backends.jdbi();
        dao = jdbi.onDemand(ItemDao.class);
        outbox = dao.outbox();
        redis = backends.redisClient();
        cache = new ItemCache(CacheFixtures.resilient(redis), CacheFixtures.mapper(), TTL_SECONDS);
        absentRedis = RedisClient.builder().hostAndPort("127.0.0.1", Ports.freeLoopbackPort())
                .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(200).build()).build();
        unreachableCache = new ItemCache(CacheFixtures.resilient(absentRedis), CacheFixtures.mapper(), TTL_SECONDS);
    }

    @AfterAll
    static void close() {
        redis.close();
        absentRedis.close();
    }

    @Test
    void shouldLeaveTheRowToTheRelayWhichRemovesItWithoutEvictingACopyFilledAfterTheWritersInvalidation() {
        // Given a writer that reaches Redis, and a cached copy of version 1
        ItemService writer = service(cache);
        String id = newId();
        writer.put(id, "first", 1);
        cache.fill(item(id, 1));

        // When it writes version 2
        writer.put(id, "second", 2);

        // Then the copy is gone and the floor at 2, and the row stays owed: removing it would cost the write a
        // second round trip to the database
        assertThat(redis.get(ItemCache.entryKey(id))).isNull();
        assertThat(redis.get(ItemCache.floorKey(id))).isEqualTo("2");
        assertThat(outbox.pendingVersion(id)).contains(2L);

        // When a reader caches version 2 and then a relay runs, past the grace
        assertThat(cache.fill(item(id, 2))).isTrue();
        CacheOutboxRelay relay = new CacheOutboxRelay(outbox, cache, TTL_SECONDS);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            relay.run();
            assertThat(outbox.pendingVersion(id)).isEmpty();
        });

        // Then the row is gone, and the copy filled after the writer's invalidation is still served
        assertThat(cache.lookup(id).item()).contains(item(id, 2));
        assertThat(redis.get(ItemCache.floorKey(id))).isEqualTo("2");
    }

    @Test
    void shouldKeepTheHighestVersionInTheOutboxWhileTheWriterCannotReachRedis() {
        // Given a writer whose Redis is unreachable
        ItemService writer = service(unreachableCache);
        String id = newId();

        // When it writes twice, then deletes
        writer.put(id, "first", 1);
        writer.put(id, "second", 2);
        long afterPuts = outbox.pendingVersion(id).orElseThrow();
        writer.delete(id);

        // Then every acknowledged write left its invalidation, the highest version kept
        assertThat(afterPuts).isEqualTo(2);
        assertThat(outbox.pendingVersion(id)).contains(ItemCache.DELETED_FLOOR);
    }

    @Test
    void shouldLeaveNeitherTheItemNorAnOutboxRowWhenTheOutboxInsertFails() {
        // Given an outbox that refuses this id (a constraint added for the test only), and an existing item
        String existing = "outbox-it-reject-" + UUID.randomUUID();
        String fresh = "outbox-it-reject-" + UUID.randomUUID();
        ItemService writer = service(unreachableCache);
        writer.put(existing, "kept", 1);
        jdbi.useHandle(handle -> handle.execute("DELETE FROM cache_invalidations WHERE id = ?", existing));
        jdbi.useHandle(handle -> handle.execute("ALTER TABLE cache_invalidations ADD CONSTRAINT outbox_it_reject "
                + "CHECK (id NOT LIKE 'outbox-it-reject-%') NOT VALID"));
        try {
            // When a create, a replace and a delete each fail at the outbox insert, after their item statement
            assertThatThrownBy(() -> writer.put(fresh, "never", 1)).hasMessageContaining("outbox_it_reject");
            assertThatThrownBy(() -> writer.put(existing, "never", 2)).hasMessageContaining("outbox_it_reject");
            assertThatThrownBy(() -> writer.delete(existing)).hasMessageContaining("outbox_it_reject");
        } finally {
            jdbi.useHandle(handle -> handle.execute("ALTER TABLE cache_invalidations DROP CONSTRAINT outbox_it_reject"));
        }

        // Then the item statements were rolled back with them: no new item, the old one unchanged, no row
        assertThat(dao.find(fresh)).isEmpty();
        assertThat(dao.find(existing)).hasValueSatisfying(item -> {
            assertThat(item.name()).isEqualTo("kept");
            assertThat(item.version()).isEqualTo(1);
        });
        assertThat(outbox.pendingVersion(fresh)).isEmpty();
        assertThat(outbox.pendingVersion(existing)).isEmpty();
    }

    @Test
    void shouldLeaveNeitherWhenTheWholeTransactionRollsBack() {
        String id = newId();

        assertThatThrownBy(() -> jdbi.useTransaction(transaction -> {
            transaction.attach(ItemDao.class).upsertInvalidating(id, "rolled back", 1);
            throw new IllegalStateException("the transaction fails after the upsert and the outbox insert");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(dao.find(id)).isEmpty();
        assertThat(outbox.pendingVersion(id)).isEmpty();
    }

    @Test
    void shouldApplyAndRemoveARowTheWriterCouldNotDeliver() {
        // Given a copy of version 1 cached by an instance that reaches Redis, and version 2 written by one that
        // does not
        String id = newId();
        service(cache).put(id, "first", 1);
        cache.fill(item(id, 1));
        service(unreachableCache).put(id, "second", 2);
        assertThat(cache.lookup(id).item()).contains(item(id, 1));

        // When the relay of the instance that reaches Redis runs (past the grace)
        CacheOutboxRelay relay = new CacheOutboxRelay(outbox, cache, TTL_SECONDS);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            relay.run();
            assertThat(outbox.pendingVersion(id)).isEmpty();
        });

        // Then the old copy is gone and cannot come back
        assertThat(redis.get(ItemCache.entryKey(id))).isNull();
        assertThat(redis.get(ItemCache.floorKey(id))).isEqualTo("2");
        cache.fill(item(id, 1));
        assertThat(cache.lookup(id).status()).isEqualTo(CacheStatus.MISS);
        assertThat(relay.applied()).isPositive();
    }

    @Test
    void shouldKeepRowsWhileItsOwnRedisIsUnreachable() {
        String id = newId();
        service(unreachableCache).put(id, "owed", 1);
        CacheOutboxRelay relay = new CacheOutboxRelay(outbox, unreachableCache, TTL_SECONDS);

        await().pollDelay(CacheOutboxRelay.GRACE.multipliedBy(2)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> {
                    relay.run();
                    assertThat(outbox.pendingVersion(id)).contains(1L);
                });
        assertThat(relay.applied()).isZero();
    }

    @Test
    void shouldPruneRowsLastWrittenOverOneTtlAgoWithoutApplyingThem() {
        // Given a row last written just over one TTL ago (every copy it guarded has expired) and a fresh one
        String old = newId();
        String recent = newId();
        outbox.record(old, 3);
        outbox.record(recent, 4);
        jdbi.useHandle(handle -> handle.execute("UPDATE cache_invalidations SET pending_since = pending_since - "
                + "make_interval(secs => ?), written_at = written_at - make_interval(secs => ?) WHERE id = ?",
                TTL_SECONDS + 1, TTL_SECONDS + 1, old));
        CacheOutboxRelay relay = new CacheOutboxRelay(outbox, cache, TTL_SECONDS);

        // When the relay runs once the fresh row is due
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            relay.run();
            assertThat(outbox.pendingVersion(recent)).isEmpty();
        });

        // Then the old row went without touching Redis, the fresh one was applied
        assertThat(outbox.pendingVersion(old)).isEmpty();
        assertThat(redis.get(ItemCache.floorKey(old))).isNull();
        assertThat(redis.get(ItemCache.floorKey(recent))).isEqualTo("4");
        assertThat(relay.pruned()).isPositive();
    }

    @Test
    void shouldApplyEveryRowExactlyToItsVersionWhenTwoRelaysRunAtOnce() {
        // Given more due rows than one batch, each with a stale copy cached
        List<String> ids = IntStream.range(0, CacheOutboxRelay.BATCH + 100).mapToObj(i -> newId()).toList();
        for (int i = 0; i < ids.size(); i++) {
            cache.fill(item(ids.get(i), 1));
            outbox.record(ids.get(i), i + 2);
        }
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE cache_invalidations "
                + "SET pending_since = pending_since - interval '1 second' WHERE id IN (<ids>)")
                .bindList("ids", ids).execute());
        CacheOutboxRelay first = new CacheOutboxRelay(outbox, cache, TTL_SECONDS);
        CacheOutboxRelay second = new CacheOutboxRelay(outbox, cache, TTL_SECONDS);

        // When two relays (as on two instances) run at the same time until the rows are gone
        CompletableFuture<Void> one = CompletableFuture.runAsync(() -> drain(first, ids));
        CompletableFuture<Void> two = CompletableFuture.runAsync(() -> drain(second, ids));
        CompletableFuture.allOf(one, two).orTimeout(30, TimeUnit.SECONDS).join();

        // Then every row was applied at least once and to its own version, and none is left
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            assertThat(redis.get(ItemCache.entryKey(id))).as(id).isNull();
            assertThat(redis.get(ItemCache.floorKey(id))).as(id).isEqualTo(Long.toString(i + 2));
            assertThat(outbox.pendingVersion(id)).as(id).isEmpty();
        }
        assertThat(first.applied() + second.applied()).isGreaterThanOrEqualTo(ids.size());
        System.out.printf("two relays: %d + %d applications for %d rows%n", first.applied(), second.applied(),
                ids.size());
    }

    private static void drain(CacheOutboxRelay relay, List<String> ids) {
        await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(10)).until(() -> {
            relay.run();
            return ids.stream().allMatch(id -> outbox.pendingVersion(id).isEmpty());
        });
    }

    private static ItemService service(ItemCache itemCache) {
        return new ItemService(dao, itemCache, Resilient.builder("database").withMaxRetries(0).build());
    }

    private static Item item(String id, long version) {
        return new Item(id, "name-" + version, (int) version, version, Instant.EPOCH.truncatedTo(ChronoUnit.MICROS));
    }

    private static String newId() {
        return "outbox-" + UUID.randomUUID();
    }
}
