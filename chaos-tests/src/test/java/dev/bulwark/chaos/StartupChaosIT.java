package dev.bulwark.chaos;

import static dev.bulwark.chaos.ResiliencyMatrix.Expected.EXITS;
import static dev.bulwark.chaos.ResiliencyMatrix.Expected.WAITS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.service.testing.ChildProcess;
import dev.bulwark.service.testing.HttpTestClient;
import dev.bulwark.service.testing.Ports;
import eu.rekawek.toxiproxy.Proxy;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Start-up as operators see it: the built jar, {@code java -jar bulwark-service.jar server config.yml}, in
 * a child process reaching PostgreSQL and Redis only through the proxies, while the {@code database} proxy
 * is disabled (connections refused, as while a database pod is still starting).
 */
class StartupChaosIT {

    private static final ChaosEnvironment ENV = ChaosEnvironment.shared();

    /** How long the database stays unreachable in the scenario that waits for it. */
    private static final Duration DATABASE_DOWN = Duration.ofSeconds(5);

    /** Start-up attempts every 500 ms, doubling to at most 1 s: a few attempts over the 5 s. */
    private static final int RETRY_INTERVAL_MILLIS = 500;

    @BeforeEach
    void startFromHealthyProxies() {
        ENV.reset();
    }

    @Test
    void shouldKeepRetryingWhileTheDatabaseIsDownAt5sThenStartAndServeOnceItIsReachable() throws IOException {
        int httpPort = Ports.freeLoopbackPort();
        Map<String, String> env = serverEnv(httpPort);
        env.put("DB_MAX_RETRIES", "30");

        // Given PostgreSQL is unreachable when the service starts, and comes back 5 s later
        Proxy database = ENV.database();
        database.disable();
        long launched = System.nanoTime();
        try (Faults faults = new Faults(); ChildProcess server = ChildProcess.start(env, "server", ChildProcess.CONFIG)) {
            CompletableFuture<Void> back = faults.after(DATABASE_DOWN, database::enable);

            // Then it retries with the documented line, without exiting or listening, until the database is back
            await().atMost(DATABASE_DOWN.plusSeconds(30)).until(() -> back.isDone() || !server.process().isAlive());
            long enabled = System.nanoTime();
            assertThat(server.process().isAlive()).as(server.output()).isTrue();
            assertThat(server.output()).contains("DB connection failed (attempt 1/30), retrying in 0.5 s")
                    .contains("DB connection failed (attempt 2/30), retrying in 1 s")
                    .doesNotContain("DB connection established");
            assertThat(HttpTestClient.on(httpPort).statusOrMinusOne("/items?limit=1")).isEqualTo(-1);

            // And once it is reachable, the service starts and serves a load with nothing lost
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                    HttpTestClient.on(httpPort).statusOrMinusOne("/health-check?type=ready") == 200
                            || !server.process().isAlive());
            Duration started = Duration.ofNanos(System.nanoTime() - launched);
            Duration recovery = Duration.ofNanos(System.nanoTime() - enabled);
            assertThat(server.process().isAlive()).as(server.output()).isTrue();
            assertThat(server.output()).contains("DB connection established");

            String prefix = "startup-" + UUID.randomUUID().toString().substring(0, 13);
            Load load = Load.on(httpPort).withItems(prefix, 50).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> load.snapshot().count(Sample::served) >= 200);
            ScenarioRun.Outcome outcome = new ScenarioRun.Outcome(load.stop(),
                    LedgerCheck.of(load.ledger(), prefix, ENV.backends(), httpPort));
            LoadResult all = outcome.all();

            assertThat(all.filter(sample -> !sample.served()).samples()).as(all.toString()).isEmpty();
            outcome.recordAndCheck("start-up, database late", MatrixEntry.of("database", "down for the first "
                    + DATABASE_DOWN.toSeconds() + " s of start-up", WAITS, "started " + seconds(started)
                    + " after launch; then " + all.observed()).withRecovery(recovery));
        }
    }

    @Test
    void shouldExitNonZeroWithTheDocumentedMessageAndNoPasswordWhenTheDatabaseNeverComesAndDbMaxRetriesIs2()
            throws IOException {
        Map<String, String> env = serverEnv(Ports.freeLoopbackPort());
        env.put("DB_MAX_RETRIES", "2");
        env.put("DB_PASSWORD", "hunter2-chaos-secret");

        // Given PostgreSQL is never reachable
        ENV.database().disable();
        long launched = System.nanoTime();
        try (ChildProcess server = ChildProcess.start(env, "server", ChildProcess.CONFIG)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !server.process().isAlive());
            Duration exited = Duration.ofNanos(System.nanoTime() - launched);
            String output = server.output();
            ENV.matrix().record(new ResiliencyMatrix.Row("database", "unreachable at start-up (DB_MAX_RETRIES=2)",
                    EXITS, "exit " + server.process().exitValue() + " after " + seconds(exited) + ": "
                    + server.firstMatch("Start-up failed: .*").map(match -> match.group()).orElse("no error line"),
                    null, null, 0, new TreeMap<>(), 0, 0, 0, "start-up, database never"));

            // Then it gives up after 2 attempts: exit 1, one line as docs/resilience.md shows it, no secret
            assertThat(server.process().exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains("DB connection failed (attempt 1/2), retrying in 0.5 s")
                    .doesNotContain("attempt 2/2), retrying")
                    .containsPattern("Start-up failed: database at " + ENV.databaseProxyAddress().replace(".", "\\.")
                            + " unreachable after 2 attempts over [0-9.]+ s; last error: \\S.*")
                    .doesNotContain("hunter2")
                    .doesNotContain("\tat ");
            assertThat(output.lines().filter(line -> line.contains("Start-up failed"))).hasSize(1);
        }
    }

    /** The service on {@code httpPort}, reaching both backends through the proxies, retrying fast at start-up. */
    private static Map<String, String> serverEnv(int httpPort) {
        Map<String, String> env = new HashMap<>();
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("ADMIN_PORT", "0");
        env.put("DB_URL", ENV.serviceJdbcUrl());
        env.put("DB_USER", ENV.backends().dbUser());
        env.put("DB_PASSWORD", ENV.backends().dbPassword());
        env.put("REDIS_URL", ENV.serviceRedisUrl());
        env.put("DB_RETRY_INTERVAL_MS", Integer.toString(RETRY_INTERVAL_MILLIS));
        env.put("DB_MAX_BACKOFF_SECONDS", "1");
        env.put("RETRY_JITTER", "0");
        return env;
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000d);
    }
}
