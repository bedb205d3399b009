package dev.bulwark.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bulwark.service.cache.RedisResilienceConfig;
import dev.bulwark.service.db.DatabaseResilienceConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The {@code resilience:} block of the configuration: one set of policies per dependency. */
public class ResilienceSettings {

    @Valid
    @NotNull
    private DatabaseResilienceConfig database = new DatabaseResilienceConfig();

    @Valid
    @NotNull
    private RedisResilienceConfig redis = new RedisResilienceConfig();

    @JsonProperty
    public DatabaseResilienceConfig getDatabase() {
        return database;
    }

    @JsonProperty
    public void setDatabase(DatabaseResilienceConfig database) {
        this.database = database;
    }

    @JsonProperty
    public RedisResilienceConfig getRedis() {
        return redis;
    }

    @JsonProperty
    public void setRedis(RedisResilienceConfig redis) {
        this.redis = redis;
    }
}
