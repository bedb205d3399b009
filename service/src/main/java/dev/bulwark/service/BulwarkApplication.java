package dev.bulwark.service;

import dev.bulwark.resilience.admin.PoolStatsServlet;
import dev.bulwark.resilience.redis.ResilientRedis;
import dev.bulwark.resilience.tasks.CircuitBreakerTask;
import dev.bulwark.service.cache.ItemCache;
import dev.bulwark.service.cli.BulwarkServerCommand;
import dev.bulwark.service.cli.EnvironmentConfig;
import dev.bulwark.service.core.ItemService;
import dev.bulwark.service.db.ItemCountJob;
import dev.bulwark.service.db.ItemDao;
import dev.bulwark.service.db.ResilientDatabase;
import dev.bulwark.service.db.SchemaMigrator;
import dev.bulwark.service.errors.ConstraintErrorMapper;
import dev.bulwark.service.errors.DatabaseErrorMapper;
import dev.bulwark.service.errors.DependencyUnavailableMapper;
import dev.bulwark.service.errors.JsonBodyErrorMapper;
import dev.bulwark.service.errors.JsonErrorHandler;
import dev.bulwark.service.errors.RequestBodyLimitFilter;
import dev.bulwark.service.errors.StrictJson;
import dev.bulwark.service.errors.UnsupportedMediaTypeMapper;
import dev.bulwark.service.resources.ItemResource;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.jersey.errors.EarlyEofExceptionMapper;
import io.dropwizard.jersey.errors.IllegalStateExceptionMapper;
import io.dropwizard.jersey.errors.LoggingExceptionMapper;
import io.dropwizard.migrations.MigrationsBundle;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The Bulwark items service. Commands: {@code server config.yml}, {@code dev} (embedded PostgreSQL and
 * Redis), {@code db migrate config.yml} and the other Dropwizard migration commands.
 */
public class BulwarkApplication extends Application<BulwarkConfiguration> {

    public static void main(String[] args) throws Exception {
        new BulwarkApplication().run(args);
    }

    @Override
    public String getName() {
        return "bulwark";
    }

    @Override
    public void initialize(Bootstrap<BulwarkConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(
                EnvironmentConfig.substituting(bootstrap.getConfigurationSourceProvider(), Map.of()));
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public DataSourceFactory getDataSourceFactory(BulwarkConfiguration configuration) {
                return configuration.getDatabase();
            }
        });
    }

    @Override
    protected void addDefaultCommands(Bootstrap<BulwarkConfiguration> bootstrap) {
        bootstrap.addCommand(new BulwarkServerCommand(this));
        bootstrap.addCommand(new CheckCommand<>(this));
    }

    @Override
    public void run(BulwarkConfiguration config, Environment environment) throws Exception {
        StartupGates.awaitDatabase(config.getDatabase(), config.getResilience().getDatabase());
        if (config.getResilience().getRedis().isRequired()) {
            StartupGates.awaitRedis(config.getRedis(), config.getResilience().getRedis());
        }
        if (config.isMigrateOnStart()) {
            SchemaMigrator.migrate(config.getDatabase(), environment.metrics());
        }
        ResilientDatabase database = ResilientDatabase.build(environment, config.getDatabase(),
                config.getResilience().getDatabase());
        ResilientRedis redis = config.getRedis().build(environment, config.getResilience().getRedis());

        // Configuration is parsed by now, so stricter request parsing can't affect it.
        StrictJson.configure(environment.getObjectMapper());
        ItemCache cache = new ItemCache(redis, environment.getObjectMapper(), config.getCache().getTtlSeconds());
        ItemService items = new ItemService(database.jdbi().onDemand(ItemDao.class), cache, database.resilient());
        ItemCountJob.schedule(environment, database.jdbi(), config.getItemCountRefresh());
        registerOperations(environment, database, redis);

        registerErrorHandling(config, environment);
        environment.jersey().register(new ItemResource(items));
    }

    // Admin port: force a breaker open or closed, and see both pools, breakers and budgets at once.
    private static void registerOperations(Environment environment, ResilientDatabase database, ResilientRedis redis) {
        environment.admin().addTask(new CircuitBreakerTask(List.of(database.resilient(), redis.resilient())));
        environment.admin().addServlet("pool-stats", new PoolStatsServlet(List.of(
                new PoolStatsServlet.Dependency(database.resilient(), database.pool()),
                new PoolStatsServlet.Dependency(redis.resilient(), redis.pool())))).addMapping("/pool-stats");
    }

    // Dropwizard's default mappers answer 422s and JSON errors in other shapes; ours all answer
    // {"code", "message"}, so the defaults are replaced and the generic ones re-added.
    private static void registerErrorHandling(BulwarkConfiguration config, Environment environment) {
        if (config.getServerFactory() instanceof AbstractServerFactory server) {
            server.setRegisterDefaultExceptionMappers(false);
        }
        environment.jersey().register(new LoggingExceptionMapper<Throwable>() { });
        environment.jersey().register(new EarlyEofExceptionMapper());
        environment.jersey().register(new IllegalStateExceptionMapper());
        environment.jersey().register(new JsonBodyErrorMapper());
        environment.jersey().register(new ConstraintErrorMapper());
        environment.jersey().register(new UnsupportedMediaTypeMapper());
        environment.jersey().register(new DependencyUnavailableMapper());
        environment.jersey().register(new DatabaseErrorMapper());
        environment.jersey().register(new RequestBodyLimitFilter(RequestBodyLimitFilter.DEFAULT_LIMIT));
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                    server.setErrorHandler(new JsonErrorHandler());
                }
            }
        });
    }
}
