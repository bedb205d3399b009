package dev.bulwark.service.db;

import dev.bulwark.resilience.ConcurrencyLimit;
import dev.bulwark.resilience.PoolSnapshot;
import dev.bulwark.resilience.PoolStats;
import dev.bulwark.resilience.ResilienceConfig;
import dev.bulwark.resilience.ResilienceMetrics;
import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.health.CircuitBreakerHealthCheck;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.Statement;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;
import org.jdbi.v3.core.Jdbi;

/**
 * PostgreSQL behind the {@code database} policies: the pool, a JDBI whose every connection is
 * acquired through {@link Resilient}, a concurrency limit sized from the pool, a prober
 * ({@link DatabaseProbe}) for the open breaker, the {@code database} health check (breaker state,
 * counters, pool) and the {@code resilience.database.*} metrics. Immutable and thread-safe once built.
 *
 * @param jdbi      JDBI on the resilient connection factory
 * @param resilient the database's retry, budget and breaker
 * @param pool      the connection pool's counts
 */
public record ResilientDatabase(Jdbi jdbi, Resilient resilient, PoolStats pool) {

    /** Builds everything and registers its lifecycle, health check and metrics with {@code environment}. */
    public static ResilientDatabase build(Environment environment, DataSourceFactory database,
                                          DatabaseResilienceConfig resilience) {
        ManagedDataSource dataSource = database.build(environment.metrics(), "database");
        PoolStats pool = poolStats(dataSource);
        Resilient.Builder policies = resilience.policies("database")
                .withProbe(new DatabaseProbe(database), resilience.probeInterval())
                .onStaleConnections(() -> purge(dataSource));
        if (resilience.isConcurrencyLimitEnabled()) {
            policies.withConcurrencyLimit(ConcurrencyLimit.forPool(pool, database.getMaxSize()));
        }
        Resilient resilient = policies.build();
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                resilient.close();
            }
        });
        // Dropwizard registers a plain validation-query check under the name it is given. Not under "database":
        // the health manager schedules a configured check as soon as it is registered, and a first run of that
        // one still in flight when it was replaced reported its failure against ours, leaving readiness failed
        // for good (an unconfigured name is never scheduled). Ours replaces it.
        Jdbi jdbi = new ResilientJdbiFactory(resilient).build(environment, database, dataSource, "database-jdbi");
        environment.healthChecks().unregister("database-jdbi");
        environment.healthChecks().register("database", new CircuitBreakerHealthCheck(resilient, pool, () -> {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
            }
        }));
        ResilienceMetrics.register(environment.metrics(), resilient);
        return new ResilientDatabase(jdbi, resilient, pool);
    }

    // Closes every idle pooled connection now and every busy one when it is returned, so that the next ones are
    // made afresh (after an outage, or when the server turned read-only and a multi-host URL has a new primary).
    private static void purge(ManagedDataSource dataSource) {
        if (dataSource instanceof DataSourceProxy tomcat && tomcat.getPool() != null) {
            tomcat.getPool().purge();
        }
    }

    private static PoolStats poolStats(ManagedDataSource dataSource) {
        if (dataSource instanceof DataSourceProxy tomcat) {
            return () -> new PoolSnapshot(tomcat.getActive(), tomcat.getIdle(), tomcat.getWaitCount(),
                    tomcat.getMaxActive());
        }
        return () -> new PoolSnapshot(0, 0, 0, 0);
    }
}
