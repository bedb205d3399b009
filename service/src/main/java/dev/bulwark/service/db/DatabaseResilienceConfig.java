package dev.bulwark.service.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bulwark.resilience.ResilienceConfig;

/**
 * Resilience settings for PostgreSQL, environment variables {@code DB_*}: per-call retry deadline
 * 3000 ms, breaker after 5 consecutive failed calls, at most 60 s between probes while open; see
 * {@link ResilienceConfig} for the rest. {@code concurrencyLimitEnabled} ({@code DB_CONCURRENCY_LIMIT_ENABLED},
 * default true) puts the adaptive concurrency limit in front of database work; false removes it (for
 * comparison: without it a slow database queues every request thread on the pool). The database is always
 * required: the service does not start without it.
 */
public class DatabaseResilienceConfig extends ResilienceConfig {

    private boolean concurrencyLimitEnabled = true;

    public DatabaseResilienceConfig() {
        super("DB", 3000, 5, 60);
    }

    @JsonProperty
    public boolean isConcurrencyLimitEnabled() {
        return concurrencyLimitEnabled;
    }

    @JsonProperty
    public void setConcurrencyLimitEnabled(boolean concurrencyLimitEnabled) {
        this.concurrencyLimitEnabled = concurrencyLimitEnabled;
    }
}
