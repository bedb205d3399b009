package dev.bulwark.service.cache;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bulwark.resilience.ResilienceConfig;

/**
 * Resilience settings for Redis, environment variables {@code REDIS_*}: per-call retry deadline 500 ms,
 * breaker after 3 consecutive failed calls, open for 30 s; see {@link ResilienceConfig} for the rest.
 * {@code required} ({@code REDIS_REQUIRED}, default true) makes start-up wait for Redis; false lets the
 * service start without it, serving from PostgreSQL until Redis answers.
 */
public class RedisResilienceConfig extends ResilienceConfig {

    private boolean required = true;

    public RedisResilienceConfig() {
        super("REDIS", 500, 3, 30);
    }

    @JsonProperty
    public boolean isRequired() {
        return required;
    }

    @JsonProperty
    public void setRequired(boolean required) {
        this.required = required;
    }
}
