package dev.bulwark.service;

import dev.bulwark.resilience.bundle.ResilienceBundle;
import dev.bulwark.resilience.bundle.ResilienceContext;
import dev.bulwark.resilience.jdbi.ResilientJdbi;
import dev.bulwark.resilience.redis.ResilientRedis;
import dev.bulwark.service.cache.CacheOutboxRelay;
import dev.bulwark.service.cache.CacheRequests;
import dev.bulwark.service.cache.ItemCache;
import dev.bulwark.service.cli.EnvironmentConfig;
import dev.bulwark.service.cli.VariableNamingConfigurationFactory;
import dev.bulwark.service.core.ItemService;
import dev.bulwark.service.db.ItemCountJob;
import dev.bulwark.service.db.ItemDao;
import dev.bulwark.service.db.SchemaMigrator;
import dev.bulwark.service.errors.ErrorHandling;
import dev.bulwark.service.errors.JsonErrorHandler;
import dev.bulwark.service.errors.StrictJson;
import dev.bulwark.service.resources.ItemResource;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.migrations.MigrationsBundle;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The Bulwark items service. Commands: {@code server config.yml}, {@code db migrate config.yml} and the other
 * Dropwizard migration commands ({@code dev}, with embedded PostgreSQL and Redis, is the {@code dev/} module's
 * {@code DevApplication}, kept out of the production jar). Resilience comes from the
 * library's {@link ResilienceBundle} and its factories; this class only wires.
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
        bootstrap.setConfigurationFactoryFactory(VariableNamingConfigurationFactory::new);
        bootstrap.addBundle(new ResilienceBundle<>(BulwarkConfiguration::getResilience));
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public DataSourceFactory getDataSourceFactory(BulwarkConfiguration configuration) {
                return configuration.getDatabase();
            }
        });
    }

    @Override
    public void run(BulwarkConfiguration config, Environment environment) throws Exception {
        ResilientJdbi database = config.getDatabase().build(environment, "database");
        if (config.isMigrateOnStart()) {
            SchemaMigrator.migrate(config.getDatabase(), environment.metrics());
        }
        ResilientRedis redis = config.getRedis().build(environment, "redis", "serving from PostgreSQL without the cache");

        // Configuration is parsed by now, so stricter request parsing can't affect it.
        StrictJson.configure(environment.getObjectMapper());
        ItemCache cache = new ItemCache(redis, environment.getObjectMapper(), config.getCache().getTtlSeconds(),
                CacheRequests.registeredIn(ResilienceContext.of(environment).prometheus()));
        ItemDao dao = database.jdbi().onDemand(ItemDao.class);
        ItemService items = new ItemService(dao, cache, database.resilient());
        CacheOutboxRelay.schedule(environment, dao.outbox(), cache, config.getCache().getTtlSeconds(),
                config.getCache().getOutboxInterval());
        ItemCountJob.schedule(environment, database.jdbi(), config.getItemCountRefresh());

        registerErrorHandling(config, environment);
        environment.jersey().register(new ItemResource(items));
    }

    // Dropwizard's default mappers answer 422s and JSON errors in other shapes; ErrorHandling replaces them,
    // and Jetty's own error pages (requests rejected before Jersey) become JSON too.
    private static void registerErrorHandling(BulwarkConfiguration config, Environment environment) {
        if (config.getServerFactory() instanceof AbstractServerFactory server) {
            server.setRegisterDefaultExceptionMappers(false);
        }
        environment.jersey().register(new ErrorHandling());
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
