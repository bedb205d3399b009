package dev.bulwark.chaos;

import static dev.bulwark.chaos.ResiliencyMatrix.Expected.DEGRADED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis, the cache, misbehaving behind the {@code redis} proxy while 4 clients read and write: the service
 * keeps answering from PostgreSQL ({@code X-Cache: BYPASS}), stays ready, and never serves a stale copy
 * once the cache is back.
 */
class RedisChaosIT {


    private static final ChaosEnvironment ENV = ChaosEnvironment.shared();

    @RegisterExtension
    static final ChaosApp APP = ChaosApp.create();

    /** The Redis outage: several breaker reset times, so the breaker opens, probes and opens again. */
    private static final Duration OUTAGE = ChaosApp.BREAKER_RESET.multipliedBy(4);

    /** How late every byte from Redis is in the latency scenario: five times its command timeout. */
    private static final Duration REDIS_LATENCY = ChaosApp.REDIS_TIMEOUT.multipliedBy(5);

    /**
     * The longest one Redis step can take: no retry starts past the deadline, and one started just before it
     * runs for a whole command timeout (300 + 200 ms).
     */
    private static final long REDIS_STEP_MILLIS = ChaosApp.REDIS_DEADLINE.plus(ChaosApp.REDIS_TIMEOUT).toMillis();

    /**
     * A read that bypasses the cache waits for one Redis step, then reads PostgreSQL. Bounded by what the
     * timeout and deadline spare it: waiting out Redis's latency. Tight figures belong in docs/benchmarks.md,
     * not here, where a loaded 2-core machine adds hundreds of milliseconds.
     */
    private static final double BYPASS_BOUND_MILLIS = REDIS_LATENCY.toMillis();

    /**
     * Any request waits for two Redis steps at most (a miss's lookup and fill, a write's invalidation): 1 s,
     * half as much again for a loaded machine. One that waited out Redis's latency on both would take 2 s.
     */
    private static final double SLOW_REDIS_BOUND_MILLIS = 2 * REDIS_STEP_MILLIS * 1.5;

    /** Cache hits resume within the breaker's reset time plus 1 s of the outage ending. */
    private static final Duration CACHE_RECOVERY_BOUND = ChaosApp.BREAKER_RESET.plusSeconds(1);

    @BeforeEach
    void startFromAHealthyCache() {
        ENV.reset();
        APP.resetAndAwaitReady();
    }

    @Test
    void shouldServeEveryRequestFromPostgresStayReadyAndReportDegradedWhileRedisIsDownThenResumeCacheHitsWithNoStaleRead()
            throws IOException {
        try (ScenarioRun run = ScenarioRun.start(APP, "redis outage")) {
            // Given a warm cache
            run.awaitServed("before", 200);
            run.awaitCacheHit("before", Duration.ofSeconds(30));

            // When Redis is unreachable for 4 × the breaker's reset time
            run.phase("outage");
            Proxy redis = ENV.redis();
            run.faultInjected();
            redis.disable();
            CompletableFuture<Void> back = run.faults().after(OUTAGE, () -> {
                redis.enable();
                run.faultRemoved();
            });

            // Then health says degraded, and readiness passes all along
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
                JsonNode health = APP.health("redis");
                return !health.get("healthy").asBoolean() && health.get("message").asText().startsWith("degraded");
            });
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> APP.readiness() == 200);
            assertThat(APP.liveness()).isEqualTo(200);
            await().atMost(OUTAGE.plusSeconds(5)).until(back::isDone);

            // And once it is back, reads are cache hits again within the reset time + 1 s
            run.phase("recovery");
            Duration recovery = run.awaitCacheHit("recovery", CACHE_RECOVERY_BOUND.plusSeconds(5));
            LoadResult all = run.finish(100).all();
            LoadResult outage = all.in("outage");

            // Every read and write was served; reads went to PostgreSQL while Redis was gone
            assertThat(all.filter(sample -> !sample.served()).samples()).as(all.toString()).isEmpty();
            assertThat(outage.count(sample -> sample.method().equals("GET") && sample.cache().equals("BYPASS")))
                    .as(outage + " " + outage.byCache()).isGreaterThan(20);
            assertThat(outage.count(sample -> sample.method().equals("PUT") && sample.status() / 100 == 2))
                    .as(outage.toString()).isGreaterThan(20);
            assertThat(recovery).isLessThanOrEqualTo(CACHE_RECOVERY_BOUND);
            assertThat(all.in("after").count(sample -> sample.cache().equals("HIT"))).isPositive();
            // No acknowledged write lost, and no read returns anything but PostgreSQL's current row
            run.recordAndCheck(MatrixEntry.of("redis", "outage " + OUTAGE.toSeconds() + " s", DEGRADED, outage.observed())
                    .withRecovery(recovery));
        }
    }

    @Test
    void shouldBypassTheCacheWithinTheRedisDeadlineAndKeepLatencyBoundedWhenRedisIsSlowerThanItsTimeout()
            throws IOException {
        try (ScenarioRun run = ScenarioRun.start(APP, "redis latency")) {
            run.awaitServed("before", 200);
            run.awaitCacheHit("before", Duration.ofSeconds(30));

            // When every byte from Redis is 1 s late (its command timeout is 200 ms)
            run.phase("slow");
            Proxy redis = ENV.redis();
            run.faultInjected();
            redis.toxics().latency("slow", ToxicDirection.DOWNSTREAM, REDIS_LATENCY.toMillis());
            run.awaitRequests("slow", 200);
            redis.toxics().get("slow").remove();
            run.faultRemoved();
            run.phase("recovery");
            Duration recovery = run.awaitCacheHit("recovery", CACHE_RECOVERY_BOUND.plusSeconds(5));
            LoadResult all = run.finish(100).all();
            LoadResult slow = all.in("slow");

            // Then every request was served, reads bypassing the cache, none waiting out Redis's 1 s
            assertThat(all.filter(sample -> !sample.served()).samples()).as(all.toString()).isEmpty();
            LoadResult bypassed = slow.filter(sample -> sample.cache().equals("BYPASS"));
            assertThat(bypassed.requests()).as(slow + " " + slow.byCache()).isGreaterThan(20);
            assertThat(bypassed.maxMillis()).as(bypassed.toString()).isLessThan(BYPASS_BOUND_MILLIS);
            assertThat(slow.maxMillis()).as(slow.toString()).isLessThan(SLOW_REDIS_BOUND_MILLIS);
            assertThat(slow.percentileMillis(99)).as(slow.toString()).isLessThan(REDIS_LATENCY.toMillis());
            assertThat(recovery).isLessThanOrEqualTo(CACHE_RECOVERY_BOUND);
            run.recordAndCheck(MatrixEntry.of("redis", "latency 1 s (timeout 200 ms)", DEGRADED, slow.observed())
                    .withRecovery(recovery));
        }
    }
}
