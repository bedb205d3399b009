package dev.bulwark.resilience.jdbi;

import dev.bulwark.resilience.Probe;
import io.dropwizard.db.DataSourceFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * "Does the database answer now?": a connection, then the validation query ({@code SELECT 1}), bounded by the
 * driver's connect and socket timeouts. {@link #fresh} opens a new connection each time, never a pooled one
 * (which could be dead, or lead to a demoted primary), with the configured driver properties, so a multi-host
 * URL with {@code targetServerType=primary} finds the current primary: the start-up gate and the breaker's
 * prober use it. {@link #pooled} borrows from the pool, so that a saturated pool shows as such: the health
 * check uses it. Thread-safe.
 */
public final class JdbcProbe implements Probe {

    private final ConnectionSource connections;
    private final String query;

    private JdbcProbe(ConnectionSource connections, String query) {
        this.connections = connections;
        this.query = query;
    }

    /** Checks over a new connection made from {@code database}'s URL, user, password and properties. */
    public static JdbcProbe fresh(DataSourceFactory database) {
        return new JdbcProbe(() -> {
            Properties properties = new Properties();
            properties.putAll(database.getProperties());
            if (database.getUser() != null) {
                properties.setProperty("user", database.getUser());
            }
            if (database.getPassword() != null) {
                properties.setProperty("password", database.getPassword());
            }
            return DriverManager.getConnection(database.getUrl(), properties);
        }, database.getValidationQuery().orElse("SELECT 1"));
    }

    /** Checks over a connection borrowed from {@code pool}. */
    public static JdbcProbe pooled(DataSource pool, String query) {
        return new JdbcProbe(pool::getConnection, query);
    }

    @Override
    public void check() throws SQLException {
        try (Connection connection = connections.open(); Statement statement = connection.createStatement()) {
            statement.execute(query);
        }
    }

    /** Where the connection comes from. */
    @FunctionalInterface
    private interface ConnectionSource {
        Connection open() throws SQLException;
    }
}
