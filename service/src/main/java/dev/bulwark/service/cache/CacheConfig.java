package dev.bulwark.service.cache;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Cache settings: how long an item stays in Redis ({@code CACHE_TTL_SECONDS}, default 300 s).
 * Mutable while Jackson binds it; read-only afterwards.
 */
public class CacheConfig {

    @Min(value = 1, message = "must be at least 1")
    @Max(value = 604_800, message = "must be at most 604800 (7 days)")
    private int ttlSeconds = 300;

    @JsonProperty
    public int getTtlSeconds() {
        return ttlSeconds;
    }

    @JsonProperty
    public void setTtlSeconds(int ttlSeconds) {
        this.ttlSeconds = ttlSeconds;
    }
}
