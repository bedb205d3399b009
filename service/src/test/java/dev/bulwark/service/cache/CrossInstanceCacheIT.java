package dev.bulwark.service.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.service.testing.Json;
import dev.bulwark.service.testing.TcpForwarder;
import dev.bulwark.service.testing.TestApp;
import dev.bulwark.service.testing.TestBackends;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances sharing PostgreSQL and Redis, with the default settings: A reaches Redis through a forwarder of
 * its own, which the test cuts (a TCP-level cut, as a Toxiproxy proxy's {@code disable}), B directly. While A
 * cannot reach Redis and keeps writing an item, B, whose cache holds a copy, must not serve that copy for
 * longer than {@link #STALE_BOUND} after A acknowledged a newer version: B's relay applies the invalidations A
 * left in the outbox. Without the relay, B would serve the old copy for the whole cache TTL (300 s).
 */
class CrossInstanceCacheIT {

    /** What a user may see: a read at most this much older than PostgreSQL's row. */
    private static final Duration STALE_BOUND = Duration.ofSeconds(2);

    /** Long enough that a copy never invalidated is far past the bound. */
    private static final Duration RUN = Duration.ofSeconds(6);

    private static final TcpForwarder A_REDIS = TestBackends.shared().redisForwarder();

    @RegisterExtension
    static final TestApp A = TestApp.create(Map.of("redis.url", TestBackends.shared().redisUrlVia(A_REDIS.port())));

    @RegisterExtension
    static final TestApp B = TestApp.create();

    @AfterAll
    static void closeForwarder() throws IOException {
        A_REDIS.close();
    }

    @Test
    void shouldNeverServeFromAnotherInstanceACopyOlderThanTwoSecondsWhileTheWriterCannotReachRedis()
            throws IOException {
        // Given an item whose copy B has cached
        String path = "/items/cross-" + UUID.randomUUID();
        assertThat(A.putJson(path, Json.item("v", 1)).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(5)).until(() -> "HIT".equals(B.get(path).headers()
                .firstValue("X-Cache").orElse("")));

        // When A loses Redis and writes the item over and over while B reads it continuously
        A_REDIS.disable();
        ConcurrentSkipListMap<Long, Long> acknowledgedAt = new ConcurrentSkipListMap<>();
        long end = System.nanoTime() + RUN.toNanos();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            int quantity = 2;
            while (System.nanoTime() < end) {
                HttpResponse<String> put = A.putJson(path, Json.item("v", quantity++));
                assertThat(put.statusCode()).isEqualTo(200);
                acknowledgedAt.put(Json.parse(put.body()).get("version").asLong(), System.nanoTime());
            }
        });
        AtomicLong maxStaleNanos = new AtomicLong();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger hits = new AtomicInteger();
        List<String> tooStale = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            while (System.nanoTime() < end) {
                long started = System.nanoTime();
                HttpResponse<String> get = B.get(path);
                long answered = System.nanoTime();
                assertThat(get.statusCode()).isEqualTo(200);
                long served = Json.parse(get.body()).get("version").asLong();
                reads.incrementAndGet();
                if (get.headers().firstValue("X-Cache").orElse("").equals("HIT")) {
                    hits.incrementAndGet();
                }
                // Stale if a newer version had been acknowledged before the read began: by how long since then.
                Map.Entry<Long, Long> newer = acknowledgedAt.higherEntry(served);
                if (newer != null && newer.getValue() < started) {
                    long stale = answered - newer.getValue();
                    maxStaleNanos.accumulateAndGet(stale, Math::max);
                    if (stale > STALE_BOUND.toNanos()) {
                        tooStale.add("served version " + served + ", version " + newer.getKey() + " acknowledged "
                                + TimeUnit.NANOSECONDS.toMillis(stale) + " ms before");
                    }
                }
            }
        });
        try {
            CompletableFuture.allOf(writer, reader).orTimeout(RUN.toSeconds() + 30, TimeUnit.SECONDS).join();
        } finally {
            A_REDIS.enable();
        }

        // Then no read of B was more than 2 s behind PostgreSQL, though B kept serving from its cache
        long maxStaleMillis = TimeUnit.NANOSECONDS.toMillis(maxStaleNanos.get());
        System.out.printf("cross-instance staleness: %d writes through A, %d reads through B (%d cache hits), "
                + "maximum stale window %d ms%n", acknowledgedAt.size(), reads.get(), hits.get(), maxStaleMillis);
        assertThat(acknowledgedAt.size()).as("writes acknowledged through A").isGreaterThan(20);
        assertThat(hits.get()).as("reads B served from its cache").isGreaterThan(20);
        assertThat(tooStale).as("reads of B more than %s behind, max %d ms", STALE_BOUND, maxStaleMillis)
                .isEmpty();
    }
}
