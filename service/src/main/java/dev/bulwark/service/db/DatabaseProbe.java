package dev.bulwark.service.db;

import dev.bulwark.resilience.Probe;
import io.dropwizard.db.DataSourceFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/**
 * "Does PostgreSQL answer now?": a fresh connection (never a pooled one, which could be dead or could
 * lead to a demoted primary) with the configured driver properties, so a multi-host URL with
 * {@code targetServerType=primary} finds the current primary, then {@code SELECT 1}. Bounded by the
 * driver's connect and socket timeouts. Used by the start-up gate and the breaker's prober. Thread-safe.
 */
public final class DatabaseProbe implements Probe {

    private final DataSourceFactory database;

    public DatabaseProbe(DataSourceFactory database) {
        this.database = database;
    }

    @Override
    public void check() throws Exception {
        Properties properties = new Properties();
        properties.putAll(database.getProperties());
        if (database.getUser() != null) {
            properties.setProperty("user", database.getUser());
        }
        if (database.getPassword() != null) {
            properties.setProperty("password", database.getPassword());
        }
        try (Connection connection = DriverManager.getConnection(database.getUrl(), properties);
             Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
    }
}
