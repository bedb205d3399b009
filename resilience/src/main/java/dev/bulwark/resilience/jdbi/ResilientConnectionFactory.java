package dev.bulwark.resilience.jdbi;

import dev.bulwark.resilience.Resilient;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * A JDBI {@link ConnectionFactory} that acquires every connection through a {@link Resilient}: a
 * refused connection, a pool acquisition timeout or a server still starting is retried with backoff,
 * within the deadline and the retry budget, and counts towards the circuit breaker; while the breaker
 * is open, acquisition fails at once with {@link dev.bulwark.resilience.DependencyUnavailableException}.
 *
 * <p>Every handle JDBI opens (request threads, scheduled jobs, on-demand DAOs) goes through here, so no
 * database access bypasses the policies. Thread-safe if the data source is.
 */
public final class ResilientConnectionFactory implements ConnectionFactory {

    private final DataSource dataSource;
    private final Resilient resilient;

    public ResilientConnectionFactory(DataSource dataSource, Resilient resilient) {
        this.dataSource = dataSource;
        this.resilient = resilient;
    }

    @Override
    public Connection openConnection() throws SQLException {
        try {
            return resilient.call(dataSource::getConnection);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("could not open a connection to " + resilient.name(), e);
        }
    }
}
