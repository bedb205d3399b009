package dev.bulwark.service.cache;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * Cache settings: how long an item stays in Redis ({@code CACHE_TTL_SECONDS}, default 300 s) and how often
 * the {@link CacheOutboxRelay} applies the outbox of invalidations ({@code CACHE_OUTBOX_INTERVAL_MS}, default
 * 250 ms, between 10 ms and 10 s). Mutable while Jackson binds it; read-only afterwards.
 */
public class CacheConfig {

    @Min(value = 1, message = "must be at least 1")
    @Max(value = 604_800, message = "must be at most 604800 (7 days)")
    private int ttlSeconds = 300;

    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 10, unit = TimeUnit.SECONDS)
    private Duration outboxInterval = Duration.milliseconds(250);

    @JsonProperty
    public int getTtlSeconds() {
        return ttlSeconds;
    }

    @JsonProperty
    public void setTtlSeconds(int ttlSeconds) {
        this.ttlSeconds = ttlSeconds;
    }

    /** How often each instance's relay applies pending invalidations; bounds cross-instance staleness. */
    @JsonProperty
    public Duration getOutboxInterval() {
        return outboxInterval;
    }

    @JsonProperty
    public void setOutboxInterval(Duration outboxInterval) {
        this.outboxInterval = outboxInterval;
    }
}
