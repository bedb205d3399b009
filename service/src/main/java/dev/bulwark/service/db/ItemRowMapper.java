package dev.bulwark.service.db;

import dev.bulwark.service.api.Item;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a row of {@link ItemDao#COLUMNS} to an {@link Item}. Stateless and thread-safe. */
public final class ItemRowMapper implements RowMapper<Item> {

    @Override
    public Item map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Item(rs.getString("id"), rs.getString("name"), rs.getInt("quantity"), rs.getLong("version"),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
