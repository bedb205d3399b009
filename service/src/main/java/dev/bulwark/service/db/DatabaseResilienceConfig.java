package dev.bulwark.service.db;

import dev.bulwark.resilience.ResilienceConfig;

/**
 * Resilience settings for PostgreSQL, environment variables {@code DB_*}: per-call retry deadline
 * 3000 ms, breaker after 5 consecutive failed calls, open for 60 s; see {@link ResilienceConfig} for
 * the rest. The database is always required: the service does not start without it.
 */
public class DatabaseResilienceConfig extends ResilienceConfig {

    public DatabaseResilienceConfig() {
        super("DB", 3000, 5, 60);
    }
}
