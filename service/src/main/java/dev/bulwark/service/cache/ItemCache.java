package dev.bulwark.service.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.service.api.Item;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Cache-aside storage of items in Redis, safe against stale fills.
 *
 * <p>Each item has an entry ({@code bulwark:item:<id>}, JSON, expiring after the TTL) and a
 * <em>version floor</em> ({@code bulwark:item-floor:<id>}). A write raises the floor to the version it
 * stored and deletes the entry; a fill only stores a copy whose version is at least the floor. So a
 * reader that fetched an older row from PostgreSQL before a concurrent write cannot put that older
 * row back into the cache after the write invalidated it. A delete sets the floor to "infinity" for
 * one TTL, so nothing about the deleted item is cached until then. Both steps are Lua scripts, atomic
 * in Redis.
 *
 * <p>Redis failures never escape: a lookup answers {@link CacheLookup#BYPASS} and a write returns
 * false, so the caller keeps serving from PostgreSQL. Thread-safe.
 */
public final class ItemCache {

    private static final Logger LOG = LoggerFactory.getLogger(ItemCache.class);

    // Above any version a row can reach, and exact as a Lua number (2^53 - 1).
    private static final String DELETED_FLOOR = "9007199254740991";

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

    private final UnifiedJedis redis;
    private final ObjectMapper json;
    private final String ttlSeconds;

    public ItemCache(UnifiedJedis redis, ObjectMapper json, int ttlSeconds) {
        this.redis = redis;
        this.json = json;
        this.ttlSeconds = Integer.toString(ttlSeconds);
    }

    /** Looks the item up; never throws. */
    public CacheLookup lookup(String id) {
        String cached;
        try {
            cached = redis.get(entryKey(id));
        } catch (JedisException e) {
            warn("read", id, e);
            return CacheLookup.BYPASS;
        }
        if (cached == null) {
            return CacheLookup.MISS;
        }
        try {
            return CacheLookup.hit(json.readValue(cached, Item.class));
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
     * Forgets the cached copy after a write that stored {@code version}.
     *
     * @return true if Redis answered
     */
    public boolean invalidate(String id, long version) {
        return script(INVALIDATE, "invalidate", id, Long.toString(version), ttlSeconds);
    }

    /**
     * Forgets the cached copy after a delete, and keeps any copy of it out for one TTL.
     *
     * @return true if Redis answered
     */
    public boolean invalidateDeleted(String id) {
        return script(INVALIDATE, "invalidate", id, DELETED_FLOOR, ttlSeconds);
    }

    private boolean script(String script, String action, String id, String... args) {
        try {
            redis.eval(script, List.of(entryKey(id), floorKey(id)), List.of(args));
            return true;
        } catch (JedisException e) {
            warn(action, id, e);
            return false;
        }
    }

    private static void warn(String action, String id, JedisException e) {
        LOG.warn("redis unavailable, cache {} for item '{}' skipped: {}", action, id, e.getMessage());
    }

    static String entryKey(String id) {
        return "bulwark:item:" + id;
    }

    static String floorKey(String id) {
        return "bulwark:item-floor:" + id;
    }
}
