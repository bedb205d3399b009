package dev.bulwark.resilience.jdbi;

import dev.bulwark.resilience.ConcurrencyLimit;
import dev.bulwark.resilience.Dependency;
import dev.bulwark.resilience.PoolSnapshot;
import dev.bulwark.resilience.PoolStats;
import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.ResilientBuilder;
import dev.bulwark.resilience.bundle.DependencyPolicy;
import dev.bulwark.resilience.bundle.ResilienceContext;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import java.util.function.UnaryOperator;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;
import org.jdbi.v3.core.Jdbi;

/**
 * A config-bound database: Dropwizard's {@link DataSourceFactory} settings (the {@code database:} block, as
 * {@code MigrationsBundle} and {@code JdbiFactory} read them), and {@link #build(Environment, String)}, which
 * makes it resilient under the policy of the same name in {@code resilience.dependencies}. Needs the
 * {@link dev.bulwark.resilience.bundle.ResilienceBundle}. Mutable while Jackson binds it; build it once.
 */
public class ResilientJdbiFactory extends DataSourceFactory {

    /**
     * Waits for the database at start-up (unless the policy says {@code required: false}), then builds the pool
     * and a JDBI with Dropwizard's {@link JdbiFactory} (plugins, SQL metrics, lifecycle) whose every connection is
     * acquired through the policies: retry, budget, a breaker probed with a fresh connection while open, and a
     * concurrency limit sized from the pool. Registers the health check {@code name} (breaker state, counters,
     * pool), the metrics {@code resilience.<name>.*}, the dependency for {@code /pool-stats} and the
     * circuit-breaker task, and a {@link JdbiFailureMapper} (a JDBI failure the database caused is a 503).
     *
     * @throws dev.bulwark.resilience.StartupFailedException if the database never answered at start-up
     */
    public ResilientJdbi build(Environment environment, String name) {
        ResilienceContext context = ResilienceContext.of(environment);
        DependencyPolicy policy = context.policy(name);
        JdbcProbe fresh = JdbcProbe.fresh(this);
        if (policy.isRequired()) {
            policy.startupGate("DB", name, JdbcUrls.address(getUrl())).await(fresh);
        }
        ManagedDataSource dataSource = build(environment.metrics(), name);
        PoolStats pool = poolStats(dataSource);
        ResilientBuilder policies = policy.policies(name)
                .withProbe(fresh, policy.getProbeInterval().toJavaDuration())
                .onStaleConnections(() -> purge(dataSource));
        if (policy.isConcurrencyLimitEnabled()) {
            policies.withConcurrencyLimit(ConcurrencyLimit.forPool(pool, getMaxSize(),
                    policy.getConcurrencyLimitWait().toJavaDuration()));
        }
        Resilient resilient = policies.build();
        // Dropwizard registers a plain validation-query check under the name it is given. Not under `name`: the
        // health manager schedules a configured check as soon as it is registered, and a first run of that one
        // still in flight when it was replaced reported its failure against ours, leaving readiness failed for
        // good (an unconfigured name is never scheduled). Ours replaces it.
        Jdbi jdbi = new JdbiFactory() {
            @Override
            protected Jdbi newInstance(ManagedDataSource managed) {
                return Jdbi.create(new ResilientConnectionFactory(managed, resilient));
            }
        }.build(environment, this, dataSource, name + "-jdbi");
        environment.healthChecks().unregister(name + "-jdbi");
        environment.jersey().register(new JdbiFailureMapper(name));
        context.adopt(environment, new Dependency(name, resilient, pool, JdbcProbe.pooled(dataSource,
                getValidationQuery().orElse("SELECT 1"))), UnaryOperator.identity(), () -> { });
        return new ResilientJdbi(jdbi, resilient);
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
