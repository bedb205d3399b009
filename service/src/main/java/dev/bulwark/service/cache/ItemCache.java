package dev.bulwark.service.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.resilience.CircuitState;
import dev.bulwark.resilience.DependencyUnavailableException;
import dev.bulwark.resilience.DependencyUnavailableException.Reason;
import dev.bulwark.resilience.redis.ResilientRedis;
import dev.bulwark.service.api.Item;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Cache-aside storage of items in Redis, safe against stale copies.
 *
 * <p>Each item has an entry ({@code bulwark:item:<id>}, JSON, expiring after the TTL) and a
 * <em>version floor</em> ({@code bulwark:item-floor:<id>}). A write raises the floor to the version it
 * stored and deletes the entry; a fill only stores a copy whose version is at least the floor. So a
 * reader that fetched an older row from PostgreSQL before a concurrent write cannot put that older
 * row back into the cache after the write invalidated it. A delete sets the floor to "infinity" for
 * one TTL, so nothing about the deleted item is cached until then. Both steps are Lua scripts, atomic
 * in Redis.
 *
 * <p>Commands run through {@link ResilientRedis} (short deadline, breaker). Redis failures never
 * escape: a lookup answers {@link CacheLookup#BYPASS} and a write returns false, so the caller keeps
 * serving from PostgreSQL. An invalidation that could not reach Redis is remembered and replayed
 * before the cache is read again, so a value written while Redis was unreachable is never shadowed by
 * an older cached copy once Redis is back. Other instances learn of that write through the
 * {@code cache_invalidations} outbox, whose rows {@link CacheOutboxRelay} applies with
 * {@link #applyOutboxed}. Thread-safe.
 */
public final class ItemCache {

    private static final Logger LOG = LoggerFactory.getLogger(ItemCache.class);

    /**
     * The floor a delete raises: above any version a row can reach, and exact as a Lua number (2^53 - 1). The
     * outbox records it for a delete.
     */
    public static final long DELETED_FLOOR = 9007199254740991L;
    private static final int PENDING_LIMIT = 10_000;

    private static final String FILL = """
            local floor = tonumber(redis.call('GET', KEYS[2]) or '0')
            if tonumber(ARGV[2]) < floor then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
            return 1""";

    private static final String INVALIDATE = """
            local floor = tonumber(redis.call('GET', KEYS[2]) or '0')
            if tonumber(ARGV[1]) > floor then redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2]) end
            redis.call('DEL', KEYS[1])
            return 1""";

    // An owed invalidation whose version the floor already reached was applied (by its writer, usually): the
    // entry then cached was filled at or above the floor, so it stays. Otherwise as INVALIDATE.
    private static final String APPLY_OWED = """
            local floor = tonumber(redis.call('GET', KEYS[2]) or '0')
            if tonumber(ARGV[1]) <= floor then return 0 end
            redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])
            redis.call('DEL', KEYS[1])
            return 1""";

    private final ResilientRedis redis;
    private final ObjectMapper json;
    private final String ttlSeconds;
    private final PendingInvalidations pending = new PendingInvalidations(PENDING_LIMIT);
    private final CacheRequests requests;

    /** A cache whose reads are counted in no registry. */
    public ItemCache(ResilientRedis redis, ObjectMapper json, int ttlSeconds) {
        this(redis, json, ttlSeconds, CacheRequests.unregistered());
    }

    /** A cache that counts each lookup's result in {@code requests}. */
    public ItemCache(ResilientRedis redis, ObjectMapper json, int ttlSeconds, CacheRequests requests) {
        this.redis = redis;
        this.json = json;
        this.ttlSeconds = Integer.toString(ttlSeconds);
        this.requests = requests;
    }

    /**
     * Looks the item up and counts the result; never throws. BYPASS while Redis is unavailable or still owes
     * invalidations.
     */
    public CacheLookup lookup(String id) {
        CacheLookup result = uncountedLookup(id);
        requests.record(result.status());
        return result;
    }

    private CacheLookup uncountedLookup(String id) {
        if (!pending.replay(this::sendInvalidation, this::dropAllEntries)) {
            return CacheLookup.BYPASS;
        }
        Reply<String> cached = command("read", id, r -> r.get(entryKey(id)));
        if (!cached.answered()) {
            return CacheLookup.BYPASS;
        }
        if (cached.value() == null) {
            return CacheLookup.MISS;
        }
        try {
            return CacheLookup.hit(json.readValue(cached.value(), Item.class));
        } catch (JsonProcessingException e) {
            // An unreadable entry (e.g. written by an incompatible version) is treated as absent.
            LOG.warn("cache entry for item '{}' is unreadable, ignoring it: {}", id, e.getOriginalMessage());
            return CacheLookup.MISS;
        }
    }

    /**
     * Caches a copy read from PostgreSQL, unless a write has since raised the floor above its version.
     *
     * @return true if Redis answered (whether or not the copy was stored)
     */
    public boolean fill(Item item) {
        String value;
        try {
            value = json.writeValueAsString(item);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise item " + item.id(), e);
        }
        return script(FILL, "fill", item.id(), value, Long.toString(item.version()), ttlSeconds);
    }

    /**
     * Forgets the cached copy after a write that stored {@code version}; if Redis does not answer, the
     * invalidation is kept and replayed before the cache is read again.
     *
     * @return true if Redis answered now
     */
    public boolean invalidate(String id, long version) {
        if (sendInvalidation(id, version)) {
            return true;
        }
        pending.remember(id, version);
        return false;
    }

    /** Forgets the cached copy after a delete, and keeps any copy of it out for one TTL. */
    public boolean invalidateDeleted(String id) {
        return invalidate(id, DELETED_FLOOR);
    }

    /**
     * Delivers an invalidation read from the outbox: when the item's floor is below {@code floor}, raises it and
     * drops the entry, as {@link #invalidate} does; when the floor is already there, the invalidation was
     * delivered and the entry, filled at or above the floor since, stays. Unlike {@link #invalidate}, nothing is
     * remembered when Redis does not answer, since the outbox row stays.
     *
     * @return true if Redis answered
     */
    public boolean applyOutboxed(String id, long floor) {
        return script(APPLY_OWED, "outbox invalidate", id, Long.toString(floor), ttlSeconds);
    }

    /** Whether Redis's breaker is closed, i.e. commands are expected to reach it. */
    public boolean reachable() {
        return redis.resilient().state() == CircuitState.CLOSED;
    }

    private boolean sendInvalidation(String id, long floor) {
        return script(INVALIDATE, "invalidate", id, Long.toString(floor), ttlSeconds);
    }

    // After more failed invalidations than can be remembered, every cached item goes.
    private boolean dropAllEntries() {
        Reply<Boolean> dropped = command("flush", "*", r -> {
            ScanParams match = new ScanParams().match(entryKey("*")).count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = r.scan(cursor, match);
                if (!page.getResult().isEmpty()) {
                    r.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
            return true;
        });
        if (dropped.answered()) {
            LOG.info("redis is back: dropped every cached item, too many invalidations were missed to replay");
        }
        return dropped.answered();
    }

    private boolean script(String script, String action, String id, String... args) {
        return command(action, id, r -> r.eval(script, List.of(entryKey(id), floorKey(id)), List.of(args)))
                .answered();
    }

    private <T> Reply<T> command(String action, String id, Function<UnifiedJedis, T> command) {
        try {
            return new Reply<>(true, redis.run(command));
        } catch (DependencyUnavailableException | JedisException e) {
            // While the breaker is open every request would log the same line; the breaker's own
            // transitions and metrics tell that story.
            if (e instanceof DependencyUnavailableException unavailable && unavailable.reason() == Reason.BREAKER_OPEN) {
                LOG.debug("redis breaker open, cache {} for item '{}' skipped", action, id);
            } else {
                LOG.warn("redis unavailable, cache {} for item '{}' skipped: {}", action, id, e.getMessage());
            }
            return new Reply<>(false, null);
        }
    }

    static String entryKey(String id) {
        return "bulwark:item:" + id;
    }

    static String floorKey(String id) {
        return "bulwark:item-floor:" + id;
    }

    /** Whether Redis answered a command, and what with. */
    private record Reply<T>(boolean answered, T value) {
    }
}
