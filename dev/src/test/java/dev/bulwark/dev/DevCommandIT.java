package dev.bulwark.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.service.testing.ChildProcess;
import dev.bulwark.service.testing.HttpTestClient;
import dev.bulwark.service.testing.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar bulwark-dev.jar dev} as a user runs it: it must serve with nothing installed,
 * and leave no postgres or redis process behind when stopped or when it fails to start.
 */
class DevCommandIT {

    private static final String BACKENDS = "Embedded PostgreSQL on 127\\.0\\.0\\.1:(\\d+), embedded Redis on 127\\.0\\.0\\.1:(\\d+)";
    private static final String LISTENING = "listening on http://127\\.0\\.0\\.1:(\\d+)";

    @Test
    void shouldServeAgainstEmbeddedBackendsAndStopThemAllOnSigterm() throws Exception {
        try (ChildProcess dev = ChildProcess.start(Map.of("HTTP_PORT", "0", "ADMIN_PORT", "0"), "dev")) {
            // Given the dev server has started and said where it listens
            await().atMost(Duration.ofSeconds(120)).until(() -> dev.firstMatch(LISTENING).isPresent()
                    || !dev.process().isAlive());
            assertThat(dev.process().isAlive()).as(dev.output()).isTrue();
            int httpPort = Integer.parseInt(dev.firstMatch(LISTENING).orElseThrow().group(1));
            Matcher backends = dev.firstMatch(BACKENDS).orElseThrow();
            int postgresPort = Integer.parseInt(backends.group(1));
            int redisPort = Integer.parseInt(backends.group(2));

            // When an item is written and read back
            HttpTestClient http = HttpTestClient.on(httpPort);
            HttpResponse<String> put = http.putJson("/items/dev-1", Json.item("dev", 1));
            HttpResponse<String> get = http.get("/items/dev-1");

            // Then it round-trips
            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(Json.parse(get.body()).get("name").asText()).isEqualTo("dev");

            // When it gets SIGTERM (what Ctrl-C and `docker stop` send)
            dev.process().destroy();

            // Then the JVM exits and neither embedded server is left running
            await().atMost(Duration.ofSeconds(60)).until(() -> !dev.process().isAlive());
            assertThat(listening(postgresPort)).as("postgres still listening on " + postgresPort).isFalse();
            assertThat(listening(redisPort)).as("redis still listening on " + redisPort).isFalse();
            assertThat(orphans(postgresPort, redisPort)).isZero();
        }
    }

    @Test
    void shouldStopTheEmbeddedBackendsWhenStartUpFails() throws Exception {
        try (ChildProcess dev = ChildProcess.start(Map.of("HTTP_PORT", "0", "ADMIN_PORT", "0",
                "CACHE_TTL_SECONDS", "0"), "dev")) {
            await().atMost(Duration.ofSeconds(120)).until(() -> !dev.process().isAlive());

            assertThat(dev.process().exitValue()).isNotZero();
            assertThat(dev.output()).contains("CACHE_TTL_SECONDS");
            Matcher backends = dev.firstMatch(BACKENDS).orElseThrow();
            int postgresPort = Integer.parseInt(backends.group(1));
            int redisPort = Integer.parseInt(backends.group(2));
            assertThat(listening(postgresPort)).isFalse();
            assertThat(listening(redisPort)).isFalse();
            assertThat(orphans(postgresPort, redisPort)).isZero();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    // Embedded postgres runs as `postgres ... -p <port>`, embedded redis as `redis-server 127.0.0.1:<port>`.
    private static long orphans(int postgresPort, int redisPort) {
        return ProcessHandle.allProcesses()
                .map(p -> p.info().commandLine().orElse(""))
                .filter(cmd -> cmd.contains(" -p " + postgresPort + " ") || cmd.contains("127.0.0.1:" + redisPort))
                .count();
    }
}
