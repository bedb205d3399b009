package dev.bulwark.example;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bulwark.resilience.bundle.ResilienceFactory;
import dev.bulwark.resilience.jdbi.ResilientJdbiFactory;
import dev.bulwark.resilience.redis.ResilientRedisFactory;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The example's configuration: a database, a Redis cache and their resilience policies. Read-only once bound. */
public class StockConfiguration extends Configuration {

    @Valid
    @NotNull
    @JsonProperty
    private ResilientJdbiFactory database = new ResilientJdbiFactory();

    @Valid
    @NotNull
    @JsonProperty
    private ResilientRedisFactory redis = new ResilientRedisFactory();

    @Valid
    @NotNull
    @JsonProperty
    private ResilienceFactory resilience = new ResilienceFactory();

    public ResilientJdbiFactory getDatabase() {
        return database;
    }

    public ResilientRedisFactory getRedis() {
        return redis;
    }

    public ResilienceFactory getResilience() {
        return resilience;
    }
}
