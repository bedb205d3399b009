package dev.bulwark.service.db;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.migrations.CloseableLiquibase;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies pending changesets of {@code migrations.xml} (the same file {@code db migrate} uses) at
 * start-up. Liquibase's lock table makes concurrent starts safe: one instance migrates, the others wait.
 */
public final class SchemaMigrator {

    /** The changelog on the classpath. */
    public static final String CHANGELOG = "migrations.xml";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private SchemaMigrator() {
    }

    /** Migrates the database {@code database} points at, through a short-lived pool of its own. */
    public static void migrate(DataSourceFactory database, MetricRegistry metrics) throws Exception {
        // Liquibase would otherwise phone home and print a banner; neither belongs in a service's start-up.
        System.setProperty("liquibase.analytics.enabled", "false");
        System.setProperty("liquibase.showBanner", "false");
        // The migration pool is closed with the Liquibase handle, so it is never the request pool.
        ManagedDataSource dataSource = database.build(metrics, "database-migrations");
        try (CloseableLiquibase liquibase = new CloseableLiquibaseWithClassPathMigrationsFile(dataSource, CHANGELOG)) {
            liquibase.update("");
        }
        LOG.info("database schema is up to date ({})", CHANGELOG);
    }
}
