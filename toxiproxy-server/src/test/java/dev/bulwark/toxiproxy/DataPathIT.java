package dev.bulwark.toxiproxy;

import static eu.rekawek.toxiproxy.model.ToxicDirection.DOWNSTREAM;
import static eu.rekawek.toxiproxy.model.ToxicDirection.UPSTREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import eu.rekawek.toxiproxy.Proxy;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connection lifecycle: toxics on open connections, disable, dead upstreams, disconnects, and no leaks. */
class DataPathIT {

    @RegisterExtension
    static final EmbeddedToxiproxy toxiproxy = new EmbeddedToxiproxy();

    private TestServer echo;
    private Proxy proxy;

    @BeforeEach
    void createProxy() throws IOException {
        echo = toxiproxy.echo();
        proxy = toxiproxy.createProxy("echo", echo);
    }

    private Socket connect() throws IOException {
        return EmbeddedToxiproxy.connect(proxy);
    }

    @Test
    void shouldApplyAndLiftLatencyOnAnOpenConnection() throws IOException {
        try (Socket socket = connect()) {
            assertThat(Sockets.roundTrip(socket, "before")).isLessThan(Duration.ofMillis(300));

            proxy.toxics().latency("latency", DOWNSTREAM, 300);
            assertThat(Sockets.roundTrip(socket, "during")).isGreaterThanOrEqualTo(Duration.ofMillis(300));

            proxy.toxics().get("latency").remove();
            assertThat(Sockets.roundTrip(socket, "after")).isLessThan(Duration.ofMillis(300));
        }
    }

    @Test
    void shouldReleaseDataHeldByLatencyWhenTheToxicIsRemoved() throws IOException {
        proxy.toxics().latency("latency", DOWNSTREAM, 10_000);

        try (Socket socket = connect()) {
            long start = System.nanoTime();
            socket.getOutputStream().write("held-by-latency".getBytes(StandardCharsets.UTF_8));
            // Once the echo server has answered, the reply sits in the proxy's latency queue.
            await().atMost(Duration.ofSeconds(2)).until(() -> Sockets.utf8(echo.received()).contains("held-by-latency"));
            proxy.toxics().get("latency").remove();

            assertThat(Sockets.utf8(socket.getInputStream().readNBytes(15))).isEqualTo("held-by-latency");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldCarryAMegabyteIntactThroughToxicsInBothDirections() throws Exception {
        proxy.toxics().latency("latency", DOWNSTREAM, 20).setJitter(10);
        proxy.toxics().bandwidth("bandwidth", UPSTREAM, 50_000);
        byte[] payload = new byte[1024 * 1024];
        new Random(42).nextBytes(payload);

        try (Socket socket = connect()) {
            CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> {
                try {
                    return socket.getInputStream().readNBytes(payload.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            socket.getOutputStream().write(payload);

            assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo(payload);
        }
    }

    @Test
    void shouldCloseOpenConnectionsAndRefuseNewOnesWhenDisabled() throws IOException {
        try (Socket socket = connect()) {
            Sockets.roundTrip(socket, "hello");

            proxy.disable();

            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
        }
        proxy.enable();
        try (Socket socket = connect()) {
            assertThat(Sockets.roundTrip(socket, "again")).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void shouldCloseTheClientWhenTheUpstreamCannotBeReached() throws IOException {
        proxy.setUpstream("127.0.0.1:1");

        try (Socket socket = connect()) {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void shouldCloseTheUpstreamWhenTheClientDisconnectsMidStream() throws IOException {
        try (TestServer firehose = TestServer.firehose()) {
            Proxy streaming = toxiproxy.createProxy("firehose", firehose);
            try (Socket socket = EmbeddedToxiproxy.connect(streaming)) {
                assertThat(socket.getInputStream().readNBytes(100_000)).hasSize(100_000);
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> firehose.endedConnections() == 1);
        }
    }

    @Test
    void shouldNotLeakThreadsOrFileDescriptorsAcrossManyConnections() throws IOException {
        // Given a warmed-up server
        try (Socket socket = connect()) {
            Sockets.roundTrip(socket, "warm-up");
        }
        int endedBefore = echo.endedConnections() + 1;
        await().atMost(Duration.ofSeconds(5)).until(() -> echo.endedConnections() >= endedBefore);
        int baselineThreads = threadCount();
        long baselineDescriptors = openDescriptors();

        // When 200 connections open, carry a message and close
        for (int i = 0; i < 200; i++) {
            try (Socket socket = connect()) {
                Sockets.roundTrip(socket, "message " + i);
            }
        }

        // Then threads and descriptors return to where they were
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(threadCount()).isLessThanOrEqualTo(baselineThreads + 4);
            assertThat(openDescriptors()).isLessThanOrEqualTo(baselineDescriptors + 8);
        });
    }

    private static int threadCount() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long openDescriptors() {
        File[] descriptors = new File("/proc/self/fd").listFiles();
        return descriptors == null ? 0 : Objects.requireNonNull(descriptors).length;
    }
}
