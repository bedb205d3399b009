package dev.bulwark.service.db;

import dev.bulwark.service.api.Item;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.CreateSqlObject;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/**
 * SQL for the {@code items} table (schema in {@code migrations.xml}). Each method is one statement, so each is
 * atomic on its own; the {@code *Invalidating} ones also record the write's cache invalidation in the
 * {@link CacheOutboxDao outbox} in that same statement. Thread-safe when attached on demand
 * ({@code jdbi.onDemand}).
 */
@RegisterRowMapper(ItemRowMapper.class)
public interface ItemDao {

    String COLUMNS = "id, name, quantity, version, updated_at";
    String UPSERT = "INSERT INTO items (id, name, quantity, version, updated_at) "
            + "VALUES (:id, :name, :quantity, 1, clock_timestamp()) "
            + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, quantity = excluded.quantity, "
            + "version = items.version + 1, updated_at = clock_timestamp() "
            // xmax is 0 only on a freshly inserted row version: that tells create from replace.
            + "RETURNING " + COLUMNS + ", (xmax = 0) AS created";

    @SqlQuery("SELECT " + COLUMNS + " FROM items WHERE id = :id")
    Optional<Item> find(@Bind("id") String id);

    /**
     * Creates the item at version 1 or replaces it and bumps its version, in one statement, so
     * concurrent or repeated PUTs leave exactly one row.
     */
    @SqlQuery(UPSERT)
    @UseRowMapper(StoredItemRowMapper.class)
    StoredItem upsert(@Bind("id") String id, @Bind("name") String name, @Bind("quantity") int quantity);

    @SqlUpdate("DELETE FROM items WHERE id = :id")
    boolean delete(@Bind("id") String id);

    /** The outbox of cache invalidations ({@code cache_invalidations}). */
    @CreateSqlObject
    CacheOutboxDao outbox();

    /**
     * {@link #upsert} and the outbox row owing its invalidation, in one statement: atomic, and one round trip
     * like the upsert alone (a slow database makes every extra round trip cost a write its latency again). An
     * acknowledged write always has its row, a refused one has neither.
     */
    @SqlQuery("WITH item AS (" + UPSERT + "), owed AS (" + CacheOutboxDao.OWE
            + "SELECT id, version, clock_timestamp(), clock_timestamp() FROM item " + CacheOutboxDao.KEEP_HIGHEST
            + ") SELECT " + COLUMNS + ", created FROM item")
    @UseRowMapper(StoredItemRowMapper.class)
    StoredItem upsertInvalidating(@Bind("id") String id, @Bind("name") String name, @Bind("quantity") int quantity);

    /**
     * {@link #delete} and, if there was a row, the outbox row owing {@code deletedVersion}'s invalidation, in one
     * statement.
     */
    @SqlQuery("WITH gone AS (DELETE FROM items WHERE id = :id RETURNING id), owed AS (" + CacheOutboxDao.OWE
            + "SELECT id, :deletedVersion, clock_timestamp(), clock_timestamp() FROM gone " + CacheOutboxDao.KEEP_HIGHEST
            + ") SELECT count(*) > 0 FROM gone")
    boolean deleteInvalidating(@Bind("id") String id, @Bind("deletedVersion") long deletedVersion);

    /** Up to {@code limit} items with an id after {@code after} (all when null), in id order. */
    @SqlQuery("SELECT " + COLUMNS + " FROM items WHERE CAST(:after AS text) IS NULL OR id > :after "
            + "ORDER BY id LIMIT :limit")
    List<Item> page(@Bind("after") String after, @Bind("limit") int limit);
}
