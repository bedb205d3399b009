package dev.bulwark.service.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.service.testing.ChildProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code java -jar bulwark-service.jar server config.yml} refusing bad settings as a user would see it. */
class ServerCommandIT {

    @Test
    void shouldRefuseAMalformedRedisUrlNamingItsVariableButNotItsPassword() throws Exception {
        try (ChildProcess server = ChildProcess.start(Map.of(
                "REDIS_URL", "redis://:hunter2-secret@cache:not-a-port/0", "HTTP_PORT", "0", "ADMIN_PORT", "0"),
                "server", ChildProcess.CONFIG)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !server.process().isAlive());

            assertThat(server.process().exitValue()).isNotZero();
            assertThat(server.output()).contains("REDIS_URL").doesNotContain("hunter2-secret");
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"DB_MAX_RETRIES, -1", "DB_RETRY_INTERVAL_MS, 0", "RETRY_JITTER, 1.5", "REDIS_CIRCUIT_FAILURE_THRESHOLD, 0",
        "DB_CIRCUIT_RESET_SECONDS, 0", "REDIS_RETRY_DEADLINE_MS, 0", "DB_RETRY_BUDGET_RATIO, 2"})
    void shouldRefuseAnInvalidResilienceSettingNamingItsVariable(String variable, String value) throws Exception {
        try (ChildProcess server = ChildProcess.start(Map.of(variable, value, "HTTP_PORT", "0", "ADMIN_PORT", "0"),
                "server", ChildProcess.CONFIG)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !server.process().isAlive());

            assertThat(server.process().exitValue()).isNotZero();
            assertThat(server.output()).contains("(" + variable + ")");
        }
    }

    @Test
    void shouldRefuseAPoolSizeBelowOneNamingItsVariable() throws Exception {
        try (ChildProcess server = ChildProcess.start(Map.of("REDIS_POOL_SIZE", "0", "HTTP_PORT", "0",
                "ADMIN_PORT", "0"), "server", ChildProcess.CONFIG)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !server.process().isAlive());

            assertThat(server.process().exitValue()).isNotZero();
            assertThat(server.output()).contains("REDIS_POOL_SIZE");
        }
    }
}
