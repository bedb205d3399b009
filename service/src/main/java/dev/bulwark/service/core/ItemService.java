package dev.bulwark.service.core;

import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.ThrowingSupplier;
import dev.bulwark.service.api.Item;
import dev.bulwark.service.api.ItemPage;
import dev.bulwark.service.cache.CacheLookup;
import dev.bulwark.service.cache.CacheStatus;
import dev.bulwark.service.cache.ItemCache;
import dev.bulwark.service.db.ItemDao;
import dev.bulwark.service.db.StoredItem;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Optional;

/**
 * The items use cases: PostgreSQL is the source of truth, Redis a cache-aside copy. Writes go to
 * PostgreSQL first, together with a row in the {@code cache_invalidations} outbox (one statement), and then
 * invalidate the cached copy; {@code CacheOutboxRelay}, on any instance that reaches Redis, removes the row, and
 * applies it first when the writer's own invalidation did not get through. Reads try Redis, then PostgreSQL. When Redis is unavailable every operation still
 * succeeds from PostgreSQL.
 *
 * <p>Every database unit runs under the database's concurrency limit; a cache hit takes no permit. Reads and
 * the upsert are idempotent units: if their connection dies mid-way they are re-run whole on a fresh one. A
 * delete is not re-run once sent, so a connection lost during a delete fails with "outcome unknown", as does
 * an upsert whose last attempt lost its connection. Every other failure of a write means nothing was
 * written. Thread-safe.
 */
public final class ItemService {


    private final ItemDao dao;
    private final ItemCache cache;
    private final Resilient database;

    public ItemService(ItemDao dao, ItemCache cache, Resilient database) {
        this.dao = dao;
        this.cache = cache;
        this.database = database;
    }

    /**
     * Reads an item.
     *
     * @param id an already validated id
     */
    public ItemRead get(String id) {
        CacheLookup cached = cache.lookup(id);
        if (cached.item().isPresent()) {
            return new ItemRead(cached.item(), CacheStatus.HIT);
        }
        Optional<Item> stored = idempotent(() -> dao.find(id));
        CacheStatus status = cached.status();
        if (status == CacheStatus.MISS && stored.isPresent() && !cache.fill(stored.get())) {
            status = CacheStatus.BYPASS;
        }
        return new ItemRead(stored, status);
    }

    /** Creates or replaces an item; the result says which. */
    public StoredItem put(String id, String name, int quantity) {
        StoredItem stored = unit(() -> database.callIdempotentWrite(() -> dao.upsertInvalidating(id, name, quantity)));
        invalidate(id, stored.item().version());
        return stored;
    }

    /** Deletes an item; false if there was none. */
    public boolean delete(String id) {
        boolean deleted = unit(() -> database.callOnce(() -> dao.deleteInvalidating(id, ItemCache.DELETED_FLOOR)));
        if (deleted) {
            invalidate(id, ItemCache.DELETED_FLOOR);
        }
        return deleted;
    }

    // The write is acknowledged whatever happens here. Its outbox row stays for the relay, which removes it
    // without touching Redis again when this invalidation got there (the floor is already at its version).
    private void invalidate(String id, long version) {
        cache.invalidate(id, version);
    }

    /** Up to {@code limit} items after {@code after} (from the start when null), in id order. */
    public ItemPage list(String after, int limit) {
        // One extra row tells whether another page follows without a second query.
        List<Item> rows = idempotent(() -> dao.page(after, limit + 1));
        if (rows.size() <= limit) {
            return new ItemPage(rows, null);
        }
        List<Item> page = rows.subList(0, limit);
        return new ItemPage(List.copyOf(page), page.get(limit - 1).id());
    }

    private <T> T idempotent(ThrowingSupplier<T> read) {
        return unit(() -> database.callIdempotent(read));
    }

    private static <T> T unit(Callable<T> unit) {
        try {
            return unit.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // DAO methods throw only unchecked exceptions; a checked one is a bug worth seeing as such.
            throw new IllegalStateException("unexpected checked exception from the database", e);
        }
    }

    /**
     * The outcome of a read.
     *
     * @param item  the item, if it exists
     * @param cache how the cache was used
     */
    public record ItemRead(Optional<Item> item, CacheStatus cache) {
    }
}
