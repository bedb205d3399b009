package dev.bulwark.service.cache;

/** How a read used the cache; sent to clients as the {@code X-Cache} header. */
public enum CacheStatus {
    /** Served from Redis. */
    HIT,
    /** Not in Redis: read from PostgreSQL (and cached if found). */
    MISS,
    /** Redis unavailable: read from PostgreSQL without the cache. */
    BYPASS
}
