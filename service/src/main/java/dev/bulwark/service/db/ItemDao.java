package dev.bulwark.service.db;

import dev.bulwark.service.api.Item;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/**
 * SQL for the {@code items} table (schema in {@code migrations.xml}). Each method is one statement,
 * so each is atomic on its own. Thread-safe when attached on demand ({@code jdbi.onDemand}).
 */
@RegisterRowMapper(ItemRowMapper.class)
public interface ItemDao {

    String COLUMNS = "id, name, quantity, version, updated_at";

    @SqlQuery("SELECT " + COLUMNS + " FROM items WHERE id = :id")
    Optional<Item> find(@Bind("id") String id);

    /**
     * Creates the item at version 1 or replaces it and bumps its version, in one statement, so
     * concurrent or repeated PUTs leave exactly one row.
     */
    @SqlQuery("INSERT INTO items (id, name, quantity, version, updated_at) "
            + "VALUES (:id, :name, :quantity, 1, clock_timestamp()) "
            + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, quantity = excluded.quantity, "
            + "version = items.version + 1, updated_at = clock_timestamp() "
            // xmax is 0 only on a freshly inserted row version: that tells create from replace.
            + "RETURNING " + COLUMNS + ", (xmax = 0) AS created")
    @UseRowMapper(StoredItemRowMapper.class)
    StoredItem upsert(@Bind("id") String id, @Bind("name") String name, @Bind("quantity") int quantity);

    @SqlUpdate("DELETE FROM items WHERE id = :id")
    boolean delete(@Bind("id") String id);

    /** Up to {@code limit} items with an id after {@code after} (all when null), in id order. */
    @SqlQuery("SELECT " + COLUMNS + " FROM items WHERE CAST(:after AS text) IS NULL OR id > :after "
            + "ORDER BY id LIMIT :limit")
    List<Item> page(@Bind("after") String after, @Bind("limit") int limit);
}
