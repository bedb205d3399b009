package dev.bulwark.example;

import dev.bulwark.resilience.bundle.ResilienceBundle;
import dev.bulwark.resilience.jdbi.ResilientJdbi;
import dev.bulwark.resilience.redis.ResilientRedis;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/**
 * A small stock-level service that is not Bulwark: what another Dropwizard team writes to adopt the resilience
 * library. Its whole resilience wiring is the bundle in {@link #initialize} and the two {@code build} calls in
 * {@link #run}; the rest is its own code. {@code server config.yml} runs it.
 */
public class StockApplication extends Application<StockConfiguration> {

    public static void main(String[] args) throws Exception {
        new StockApplication().run(args);
    }

    @Override
    public void initialize(Bootstrap<StockConfiguration> bootstrap) {
        bootstrap.addBundle(new ResilienceBundle<>(StockConfiguration::getResilience));
    }

    @Override
    public void run(StockConfiguration config, Environment environment) {
        ResilientJdbi database = config.getDatabase().build(environment, "database");
        ResilientRedis redis = config.getRedis().build(environment, "redis", "serving stock from the database");
        StockLevels stock = new StockLevels(database, redis);
        stock.createTable();
        environment.jersey().register(new StockResource(stock));
    }
}
