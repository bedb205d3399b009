package dev.bulwark.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bulwark.service.cache.CacheConfig;
import dev.bulwark.service.cache.RedisFactory;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The service's configuration, bound from {@code config.yml} (every value there can be overridden by
 * an environment variable). Mutable while Jackson binds it; treat it as read-only afterwards.
 */
public class BulwarkConfiguration extends Configuration {

    @Valid
    @NotNull
    private DataSourceFactory database = new DataSourceFactory();

    @Valid
    @NotNull
    private RedisFactory redis = new RedisFactory();

    @Valid
    @NotNull
    private CacheConfig cache = new CacheConfig();

    @Valid
    @NotNull
    private ResilienceSettings resilience = new ResilienceSettings();

    private boolean migrateOnStart = true;

    @NotNull
    @MinDuration(value = 100, unit = java.util.concurrent.TimeUnit.MILLISECONDS,
            message = "(ITEM_COUNT_REFRESH) must be at least 100ms")
    private Duration itemCountRefresh = Duration.seconds(30);

    @JsonProperty
    public DataSourceFactory getDatabase() {
        return database;
    }

    @JsonProperty
    public void setDatabase(DataSourceFactory database) {
        this.database = database;
    }

    @JsonProperty
    public RedisFactory getRedis() {
        return redis;
    }

    @JsonProperty
    public void setRedis(RedisFactory redis) {
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
    public ResilienceSettings getResilience() {
        return resilience;
    }

    @JsonProperty
    public void setResilience(ResilienceSettings resilience) {
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
