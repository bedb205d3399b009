package dev.bulwark.service.db;

import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.jdbi.ResilientConnectionFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import org.jdbi.v3.core.Jdbi;

/**
 * Dropwizard's JDBI factory (plugins, SQL metrics, lifecycle, health check) with every connection
 * acquired through the database's {@link Resilient} policies. Not thread-safe; use it once at start-up.
 */
public final class ResilientJdbiFactory extends JdbiFactory {

    private final Resilient resilient;

    public ResilientJdbiFactory(Resilient resilient) {
        this.resilient = resilient;
    }

    @Override
    protected Jdbi newInstance(ManagedDataSource dataSource) {
        return Jdbi.create(new ResilientConnectionFactory(dataSource, resilient));
    }
}
