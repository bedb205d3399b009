package dev.bulwark.chaos;

import static dev.bulwark.chaos.ResiliencyMatrix.Expected.FAST_FAIL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real PostgreSQL restart under load, with the DEFAULT settings (reset time 60 s, probe interval 100 ms,
 * readiness every 500 ms): the service reaches its own embedded PostgreSQL directly, which the test stops
 * (fast shutdown: every session terminated, the port refusing connections) and starts again on the same port
 * and data. Recovery must follow the database, not the breaker's reset time: writes succeed within 1 s of
 * PostgreSQL accepting connections again, the database's health check passes within 1.5 s (readiness stays up
 * throughout, Redis being reachable), and nothing acknowledged is lost.
 * Nothing is shrunk: recovery time is the point.
 */
class DatabaseRestartChaosIT {

    private static final RestartablePostgres POSTGRES = RestartablePostgres.launch("restart");

    @RegisterExtension
    static final ChaosApp APP = ChaosApp.withDefaults(
            POSTGRES.backends(ChaosEnvironment.shared().backends().redisUrl()), POSTGRES.jdbcUrl());

    /** How long PostgreSQL stays down. */
    private static final Duration DOWN = Duration.ofSeconds(5);

    /** Issue #11's targets, from the moment PostgreSQL accepts connections again. */
    private static final Duration WRITABLE_WITHIN = Duration.ofSeconds(1);
    private static final Duration READY_WITHIN = Duration.ofMillis(1500);

    @BeforeEach
    void startFromARunningDatabase() {
        ChaosEnvironment.shared().reset();
        if (!POSTGRES.running()) {
            POSTGRES.start();
        }
        APP.resetAndAwaitReady();
    }

    @AfterAll
    static void stopTheDatabase() {
        POSTGRES.close();
    }

    @Test
    void shouldWriteWithin1sAndBeReadyWithin1point5sOfPostgresAcceptingConnectionsAfterARestartWithTheDefaultResetTime() {
        // 16 clients: enough calls fail while it is down that the breaker opens (5 in a row), so recovery is
        // the prober's, not that of requests still retrying when PostgreSQL returns.
        try (ScenarioRun run = ScenarioRun.start(APP, "database restart", load -> load.withClients(16))) {
            run.awaitServed("before", 200);
            long opened = APP.poolStats().get("database").get("breaker").get("opened").asLong();

            // When PostgreSQL stops for 5 s, then starts again on the same port and data
            run.phase("down");
            run.faultInjected();
            POSTGRES.stop();
            AtomicLong accepted = new AtomicLong();
            CompletableFuture<Void> back = run.faults().after(DOWN, () -> accepted.set(POSTGRES.start()));
            await().atMost(DOWN.plusSeconds(60)).until(back::isDone);
            long openedWhileDown = APP.poolStats().get("database").get("breaker").get("opened").asLong() - opened;
            assertThat(back).isNotCompletedExceptionally();
            run.faultRemovedAt(accepted.get());
            run.phase("recovery");

            // Then a write succeeds, and the database's health check passes, soon after it accepts connections
            // (readiness stayed up throughout: Redis was reachable)
            String probe = "/items/" + run.prefix() + "-probe";
            await().atMost(Duration.ofSeconds(70)).pollInterval(Duration.ofMillis(10))
                    .until(() -> APP.put(probe, "probe", 1).statusCode() / 100 == 2);
            Duration writable = Duration.ofNanos(System.nanoTime() - accepted.get());
            await().atMost(Duration.ofSeconds(70)).pollInterval(Duration.ofMillis(10))
                    .until(() -> APP.health("database").get("healthy").asBoolean());
            Duration ready = Duration.ofNanos(System.nanoTime() - accepted.get());
            assertThat(APP.readiness()).isEqualTo(200);
            LoadResult down = run.finish(200).all().in("down");

            // While it was down the breaker opened, and what could not be served was a 503 with Retry-After
            assertThat(openedWhileDown).as("breaker openings while PostgreSQL was down").isPositive();
            assertThat(down.requests()).isPositive();
            assertThat(down.filter(sample -> !sample.served()).samples()).as(down.toString()).allSatisfy(sample -> {
                assertThat(sample.status()).isEqualTo(503);
                assertThat(sample.retryAfter()).isTrue();
            });
            assertThat(writable).as("writable after PostgreSQL accepted connections").isLessThanOrEqualTo(WRITABLE_WITHIN);
            assertThat(ready).as("database check healthy after PostgreSQL accepted connections")
                    .isLessThanOrEqualTo(READY_WITHIN);
            run.recordAndCheckServedAfter(MatrixEntry.of("database",
                    "restart: stopped " + DOWN.toSeconds() + " s (default settings, reset time 60 s)", FAST_FAIL,
                    down.observed() + "; breaker opened " + openedWhileDown + "×; writable " + writable.toMillis()
                            + " ms, database check healthy " + ready.toMillis() + " ms after PostgreSQL accepted connections")
                    .withRecovery(writable));
        }
    }
}
