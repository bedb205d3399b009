package dev.bulwark.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bulwark.resilience.bundle.ResilienceFactory;
import dev.bulwark.resilience.jdbi.ResilientJdbiFactory;
import dev.bulwark.resilience.redis.ResilientRedisFactory;
import dev.bulwark.service.cache.CacheConfig;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The service's configuration, bound from {@code config.yml} (every value there can be overridden by
 * an environment variable): {@code database} and {@code redis} are the resilience library's config-bound
 * factories, {@code resilience} their policies. Mutable while Jackson binds it; treat it as read-only afterwards.
 */
public class BulwarkConfiguration extends Configuration {

    @Valid
    @NotNull
    private ResilientJdbiFactory database = new ResilientJdbiFactory();

    @Valid
    @NotNull
    private ResilientRedisFactory redis = new ResilientRedisFactory();

    @Valid
    @NotNull
    private CacheConfig cache = new CacheConfig();

    @Valid
    @NotNull
    private ResilienceFactory resilience = new ResilienceFactory();

    private boolean migrateOnStart = true;

    @NotNull
    @MinDuration(value = 100, unit = java.util.concurrent.TimeUnit.MILLISECONDS,
            message = "must be at least 100ms")
    private Duration itemCountRefresh = Duration.seconds(30);

    @JsonProperty
    public ResilientJdbiFactory getDatabase() {
        return database;
    }

    @JsonProperty
    public void setDatabase(ResilientJdbiFactory database) {
        this.database = database;
    }

    @JsonProperty
    public ResilientRedisFactory getRedis() {
        return redis;
    }

    @JsonProperty
    public void setRedis(ResilientRedisFactory redis) {
        this.redis = redis;
    }

    @JsonProperty
    public CacheConfig getCache() {
        return cache;
    }

    @JsonProperty
    public void setCache(CacheConfig cache) {
        this.cache = cache;
    }

    @JsonProperty
    public ResilienceFactory getResilience() {
        return resilience;
    }

    @JsonProperty
    public void setResilience(ResilienceFactory resilience) {
        this.resilience = resilience;
    }

    /** How often the background job recounts the items ({@code ITEM_COUNT_REFRESH}, default 30s). */
    @JsonProperty
    public Duration getItemCountRefresh() {
        return itemCountRefresh;
    }

    @JsonProperty
    public void setItemCountRefresh(Duration itemCountRefresh) {
        this.itemCountRefresh = itemCountRefresh;
    }

    /** Whether {@code server} applies pending schema migrations before taking traffic (default true). */
    @JsonProperty
    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    @JsonProperty
    public void setMigrateOnStart(boolean migrateOnStart) {
        this.migrateOnStart = migrateOnStart;
    }
}
