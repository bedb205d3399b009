package dev.bulwark.service.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.service.testing.ChildProcess;
import dev.bulwark.service.testing.HttpTestClient;
import dev.bulwark.service.testing.Json;
import dev.bulwark.service.testing.Ports;
import dev.bulwark.service.testing.TcpForwarder;
import dev.bulwark.service.testing.TestBackends;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Start-up as operators see it: {@code java -jar bulwark-service.jar server config.yml} as a child
 * process, with PostgreSQL or Redis not there yet, or never.
 */
class StartupIT {

    private static final TestBackends BACKENDS = TestBackends.shared();

    @Test
    void shouldWaitForTheDatabaseAndStartOnceItIsReachable() throws Exception {
        try (TcpForwarder database = BACKENDS.databaseForwarder()) {
            // Given the database is not reachable yet
            database.disable();
            int httpPort = Ports.freeLoopbackPort();
            Map<String, String> env = serverEnv(httpPort);
            env.put("DB_URL", BACKENDS.jdbcUrlVia(database.port()));
            env.put("DB_MAX_RETRIES", "30");
            env.put("DB_RETRY_INTERVAL_MS", "200");
            env.put("DB_MAX_BACKOFF_SECONDS", "1");
            env.put("RETRY_JITTER", "0");

            try (ChildProcess server = ChildProcess.start(env, "server", ChildProcess.CONFIG)) {
                // When it has retried a few times, with the documented log line and backoff
                await().atMost(Duration.ofSeconds(60)).until(() -> server.output()
                        .contains("DB connection failed (attempt 3/30), retrying in 0.8 s") || !server.process().isAlive());
                assertThat(server.output()).contains("DB connection failed (attempt 1/30), retrying in 0.2 s")
                        .contains("DB connection failed (attempt 2/30), retrying in 0.4 s");

                // And the database becomes reachable
                database.enable();

                // Then the service starts and serves
                await().atMost(Duration.ofSeconds(60)).until(() -> HttpTestClient.on(httpPort).statusOrMinusOne("/items?limit=1") == 200
                        || !server.process().isAlive());
                assertThat(server.process().isAlive()).as(server.output()).isTrue();
                assertThat(server.output()).contains("DB connection established");
            }
        }
    }

    @Test
    void shouldGiveUpAfterTheLastAttemptWithOneClearErrorAndNoPassword() throws Exception {
        int closed = Ports.freeLoopbackPort();
        Map<String, String> env = serverEnv(Ports.freeLoopbackPort());
        env.put("DB_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/bulwark");
        env.put("DB_PASSWORD", "hunter2-db-secret");
        // The fixed-interval schedule operators of older versions expect: every 5 s.
        env.put("DB_MAX_RETRIES", "2");
        env.put("DB_RETRY_INTERVAL_MS", "5000");
        env.put("DB_MAX_BACKOFF_SECONDS", "5");
        env.put("RETRY_JITTER", "0");

        try (ChildProcess server = ChildProcess.start(env, "server", ChildProcess.CONFIG)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !server.process().isAlive());

            assertThat(server.process().exitValue()).isNotZero();
            assertThat(server.output())
                    .contains("DB connection failed (attempt 1/2), retrying in 5 s")
                    .contains("Start-up failed: database at 127.0.0.1:" + closed + " unreachable after 2 attempts")
                    .contains("Connection refused")
                    .doesNotContain("hunter2")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void shouldReportARedisThatNeverCameWithOneAggregatedError() throws Exception {
        int closed = Ports.freeLoopbackPort();
        Map<String, String> env = serverEnv(Ports.freeLoopbackPort());
        env.put("REDIS_URL", "redis://:hunter2-redis-secret@127.0.0.1:" + closed + "/0");
        env.put("REDIS_MAX_RETRIES", "3");
        env.put("REDIS_RETRY_INTERVAL_MS", "100");
        env.put("RETRY_JITTER", "0");

        try (ChildProcess server = ChildProcess.start(env, "server", ChildProcess.CONFIG)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !server.process().isAlive());

            String output = server.output();
            assertThat(server.process().exitValue()).isNotZero();
            assertThat(output.lines().filter(line -> line.contains("Redis connection failed"))).hasSize(2);
            assertThat(output).contains("Redis connection failed (attempt 2/3), retrying in 0.2 s")
                    .contains("Start-up failed: redis at 127.0.0.1:" + closed + " unreachable after 3 attempts")
                    .doesNotContain("hunter2")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void shouldStartDegradedWithoutRedisWhenItIsNotRequired() throws Exception {
        int httpPort = Ports.freeLoopbackPort();
        Map<String, String> env = serverEnv(httpPort);
        env.put("REDIS_URL", "redis://127.0.0.1:" + Ports.freeLoopbackPort() + "/0");
        env.put("REDIS_REQUIRED", "false");

        try (ChildProcess server = ChildProcess.start(env, "server", ChildProcess.CONFIG)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> HttpTestClient.on(httpPort).statusOrMinusOne("/items?limit=1") == 200
                    || !server.process().isAlive());
            assertThat(server.process().isAlive()).as(server.output()).isTrue();

            HttpTestClient http = HttpTestClient.on(httpPort);
            HttpResponse<String> put = http.putJson("/items/degraded-start", Json.item("no cache", 1));
            HttpResponse<String> get = http.get("/items/degraded-start");

            assertThat(put.statusCode()).isIn(200, 201);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.headers().firstValue("X-Cache")).hasValue("BYPASS");
        }
    }

    private static Map<String, String> serverEnv(int httpPort) {
        Map<String, String> env = new HashMap<>();
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("ADMIN_PORT", "0");
        env.put("DB_URL", BACKENDS.jdbcUrl());
        env.put("DB_USER", BACKENDS.dbUser());
        env.put("DB_PASSWORD", BACKENDS.dbPassword());
        env.put("REDIS_URL", BACKENDS.redisUrl());
        return env;
    }
}
