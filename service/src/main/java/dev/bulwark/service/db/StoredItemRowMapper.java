package dev.bulwark.service.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps the row an upsert returns to a {@link StoredItem}. Stateless and thread-safe. */
public final class StoredItemRowMapper implements RowMapper<StoredItem> {

    private final ItemRowMapper items = new ItemRowMapper();

    @Override
    public StoredItem map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new StoredItem(items.map(rs, ctx), rs.getBoolean("created"));
    }
}
