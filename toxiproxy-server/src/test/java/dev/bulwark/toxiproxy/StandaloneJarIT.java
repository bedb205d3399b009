package dev.bulwark.toxiproxy;

import static eu.rekawek.toxiproxy.model.ToxicDirection.DOWNSTREAM;
import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar toxiproxy-server/target/toxiproxy-server.jar}: starts, serves the official client, loads a config, exits with clear codes. */
class StandaloneJarIT {

    private static TestServer echo;

    @TempDir
    Path directory;

    @BeforeAll
    static void startEcho() throws IOException {
        echo = TestServer.echo();
    }

    @AfterAll
    static void stopEcho() throws IOException {
        echo.close();
    }

    private static ToxiproxyClient clientFor(String baseUrl) {
        URI uri = URI.create(baseUrl);
        return new ToxiproxyClient(uri.getHost(), uri.getPort());
    }

    @Test
    void shouldServeTheOfficialClientAndProxyTraffic() throws IOException {
        try (ServerProcess server = ServerProcess.start("--host", "127.0.0.1", "--port", "0")) {
            // Given
            ToxiproxyClient client = clientFor(server.awaitBaseUrl());

            // When
            Proxy proxy = client.createProxy("echo", "127.0.0.1:0", echo.address());
            proxy.toxics().latency("latency", DOWNSTREAM, 100);

            // Then
            assertThat(client.version()).contains("2.12.0");
            try (Socket socket = EmbeddedToxiproxy.connect(proxy)) {
                assertThat(Sockets.roundTrip(socket, "ping")).isBetween(Duration.ofMillis(100), Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void shouldCreateTheProxiesOfAConfigFile() throws IOException {
        Path config = directory.resolve("proxies.json");
        Files.writeString(config, "[{\"name\":\"redis:6379\",\"listen\":\"127.0.0.1:0\",\"upstream\":\""
                + echo.address() + "\"},{\"name\":\"database\",\"upstream\":\"127.0.0.1:1\",\"enabled\":false}]");

        try (ServerProcess server = ServerProcess.start("--port=0", "--config", config.toString())) {
            ToxiproxyClient client = clientFor(server.awaitBaseUrl());

            assertThat(client.getProxies()).extracting(Proxy::getName).containsExactly("database", "redis:6379");
            assertThat(server.stdout()).contains("created 2 proxies from " + config);
            try (Socket socket = Sockets.connect(Sockets.portOf(client.getProxy("redis:6379").getListen()))) {
                assertThat(Sockets.roundTrip(socket, "ping")).isLessThan(Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void shouldExitWithTwoOnBadArguments() throws IOException {
        try (ServerProcess server = ServerProcess.start("--port", "eighty")) {
            assertThat(server.awaitExit()).isEqualTo(2);
            assertThat(server.stderr()).contains("invalid port eighty").contains("Usage:");
        }
    }

    @Test
    void shouldExitWithOneOnAnInvalidConfig() throws IOException {
        Path config = directory.resolve("broken.json");
        Files.writeString(config, "[{\"upstream\":\"127.0.0.1:1\"}]");

        try (ServerProcess server = ServerProcess.start("--port", "0", "--config", config.toString())) {
            assertThat(server.awaitExit()).isEqualTo(1);
            assertThat(server.stderr()).contains("missing required field: name at proxy 1");
        }
    }

    @Test
    void shouldExitWithOneWhenThePortIsTaken() throws IOException {
        try (ToxiproxyServer occupant = ToxiproxyServer.startOnFreePort();
             ServerProcess server = ServerProcess.start("--port", String.valueOf(occupant.port()))) {
            assertThat(server.awaitExit()).isEqualTo(1);
            assertThat(server.stderr()).contains("cannot listen on 127.0.0.1:" + occupant.port());
        }
    }
}
