package dev.bulwark.service.core;

import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.redis.ResilientRedis;
import dev.bulwark.service.cache.ItemCache;
import dev.bulwark.service.db.ItemDao;
import dev.bulwark.service.db.StoredItem;
import dev.bulwark.service.testing.TestBackends;
import io.dropwizard.jackson.Jackson;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * What the cache invalidation outbox costs a write: one thread PUTs through {@link ItemService} (one statement
 * doing the upsert and the outbox upsert, then the Redis invalidation) and, alternating in the
 * same run, through the path as it was before the outbox (the upsert alone, then the invalidation), against
 * the real PostgreSQL and Redis. A benchmark, not a test: it prints figures and asserts nothing, and runs only
 * when named: {@code mvn -B -pl service -am verify -Dtest=OutboxWriteBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}. Figures are recorded in docs/benchmarks.md.
 */
class OutboxWriteBenchmark {

    private static final int ROUNDS = 5;
    private static final int WARM_UP = 1_000;
    private static final int MEASURED = 2_000;
    private static final int IDS = 100;

    @Test
    void measure() throws Exception {
        TestBackends backends = TestBackends.shared();
        backends.migrate();
        // One pooled connection, as the service's pool would give a lone writer.
        org.postgresql.ds.PGSimpleDataSource source = new org.postgresql.ds.PGSimpleDataSource();
        source.setUrl(backends.jdbcUrl());
        source.setUser(backends.dbUser());
        source.setPassword(backends.dbPassword());
        try (java.sql.Connection connection = source.getConnection()) {
            Jdbi jdbi = Jdbi.create(new SingleConnection(connection)).installPlugin(new SqlObjectPlugin());
            ItemDao dao = jdbi.onDemand(ItemDao.class);
            try (RedisClient redis = backends.redisClient()) {
                ItemCache cache = new ItemCache(new ResilientRedis(redis, Resilient.builder("redis").build()),
                        Jackson.newObjectMapper(), 300);
                Resilient resilient = Resilient.builder("database").build();
                ItemService service = new ItemService(dao, cache, resilient);
                String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
                IntConsumer withOutbox = i -> service.put(prefix + (i % IDS), "name", i);
                IntConsumer without = i -> {
                    StoredItem stored;
                    try {
                        stored = resilient.callIdempotentWrite(() -> dao.upsert(prefix + (i % IDS), "name", i));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    cache.invalidate(stored.item().id(), stored.item().version());
                };
                run(withOutbox, WARM_UP);
                run(without, WARM_UP);
                long[] outboxNanos = new long[ROUNDS * MEASURED];
                long[] plainNanos = new long[ROUNDS * MEASURED];
                for (int round = 0; round < ROUNDS; round++) {
                    boolean outboxFirst = round % 2 == 0;
                    long[] first = outboxFirst ? outboxNanos : plainNanos;
                    long[] second = outboxFirst ? plainNanos : outboxNanos;
                    System.arraycopy(run(outboxFirst ? withOutbox : without, MEASURED), 0, first, round * MEASURED,
                            MEASURED);
                    System.arraycopy(run(outboxFirst ? without : withOutbox, MEASURED), 0, second, round * MEASURED,
                            MEASURED);
                }
                report("without outbox", plainNanos);
                report("with outbox", outboxNanos);
                System.out.printf("ratio of medians (with / without): %.2f%n",
                        (double) percentile(outboxNanos, 50) / percentile(plainNanos, 50));
                jdbi.useHandle(handle -> handle.execute("DELETE FROM items WHERE id LIKE ?", prefix + "%"));
            }
        }
    }

    private static long[] run(IntConsumer write, int count) {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            write.accept(i);
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static void report(String label, long[] nanos) {
        System.out.printf("%s: %d writes, p50 %.3f ms, p90 %.3f ms, p99 %.3f ms%n", label, nanos.length,
                percentile(nanos, 50) / 1e6, percentile(nanos, 90) / 1e6, percentile(nanos, 99) / 1e6);
    }

    private static long percentile(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)];
    }

    /** A connection factory that always hands out the same connection (Jdbi does not close it here). */
    private record SingleConnection(java.sql.Connection connection) implements org.jdbi.v3.core.ConnectionFactory {
        @Override
        public java.sql.Connection openConnection() {
            return connection;
        }

        @Override
        public void closeConnection(java.sql.Connection toClose) {
        }
    }
}
