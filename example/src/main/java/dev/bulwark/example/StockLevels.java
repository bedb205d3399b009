package dev.bulwark.example;

import dev.bulwark.resilience.DependencyUnavailableException;
import dev.bulwark.resilience.jdbi.ResilientJdbi;
import dev.bulwark.resilience.redis.ResilientRedis;
import java.util.OptionalInt;
import java.util.function.Supplier;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Stock levels by SKU in the table {@code example_stock}, with a read-through copy in Redis that is dropped on
 * every write. The database is the truth: a Redis failure is skipped, a database failure propagates as the
 * library's {@link DependencyUnavailableException} (a 503 with {@code Retry-After}). Thread-safe.
 */
final class StockLevels {

    private final ResilientJdbi database;
    private final ResilientRedis redis;

    StockLevels(ResilientJdbi database, ResilientRedis redis) {
        this.database = database;
        this.redis = redis;
    }

    void createTable() {
        database.jdbi().useHandle(handle -> handle.execute(
                "CREATE TABLE IF NOT EXISTS example_stock (sku VARCHAR(64) PRIMARY KEY, level INTEGER NOT NULL)"));
    }

    OptionalInt level(String sku) throws Exception {
        String cached = cache(() -> redis.run(r -> r.get(key(sku))));
        if (cached != null) {
            return OptionalInt.of(Integer.parseInt(cached));
        }
        OptionalInt stored = database.resilient().callIdempotent(() -> database.jdbi().withHandle(handle ->
                handle.createQuery("SELECT level FROM example_stock WHERE sku = :sku").bind("sku", sku)
                        .mapTo(Integer.class).findOne().map(OptionalInt::of).orElse(OptionalInt.empty())));
        stored.ifPresent(level -> cache(() -> redis.run(r -> r.setex(key(sku), 60, Integer.toString(level)))));
        return stored;
    }

    void set(String sku, int level) throws Exception {
        database.resilient().callIdempotentWrite(() -> database.jdbi().withHandle(handle -> handle.createUpdate(
                "INSERT INTO example_stock (sku, level) VALUES (:sku, :level) "
                        + "ON CONFLICT (sku) DO UPDATE SET level = EXCLUDED.level")
                .bind("sku", sku).bind("level", level).execute()));
        cache(() -> redis.run(r -> r.del(key(sku))));
    }

    // A cache that does not answer is skipped; the breaker keeps it from costing more than its short deadline.
    private static <T> T cache(Supplier<T> command) {
        try {
            return command.get();
        } catch (DependencyUnavailableException | JedisException e) {
            return null;
        }
    }

    private static String key(String sku) {
        return "example:stock:" + sku;
    }
}
