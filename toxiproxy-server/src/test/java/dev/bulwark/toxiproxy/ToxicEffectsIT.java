package dev.bulwark.toxiproxy;

import static eu.rekawek.toxiproxy.model.ToxicDirection.DOWNSTREAM;
import static eu.rekawek.toxiproxy.model.ToxicDirection.UPSTREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import eu.rekawek.toxiproxy.Proxy;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each toxic's effect, measured over real sockets through the proxy to an echo server. */
class ToxicEffectsIT {

    private static final Duration GENEROUS = Duration.ofSeconds(2);

    @RegisterExtension
    static final EmbeddedToxiproxy toxiproxy = new EmbeddedToxiproxy();

    private Proxy proxy;

    @BeforeEach
    void createProxy() throws IOException {
        proxy = toxiproxy.createProxy("echo", toxiproxy.echo());
    }

    private Socket connect() throws IOException {
        return EmbeddedToxiproxy.connect(proxy);
    }

    @Test
    void shouldDelayResponsesByTheDownstreamLatency() throws IOException {
        proxy.toxics().latency("latency", DOWNSTREAM, 200);

        try (Socket socket = connect()) {
            assertThat(Sockets.roundTrip(socket, "ping")).isBetween(Duration.ofMillis(200), GENEROUS);
        }
    }

    @Test
    void shouldDelayRequestsByTheUpstreamLatencyWithJitter() throws IOException {
        proxy.toxics().latency("latency", UPSTREAM, 150).setJitter(50);

        try (Socket socket = connect()) {
            assertThat(Sockets.roundTrip(socket, "ping")).isBetween(Duration.ofMillis(100), GENEROUS);
        }
    }

    @Test
    void shouldNotActWhenToxicityIsZero() throws IOException {
        proxy.toxics().latency("latency", DOWNSTREAM, 1500).setToxicity(0f);

        try (Socket socket = connect()) {
            assertThat(Sockets.roundTrip(socket, "ping")).isLessThan(Duration.ofMillis(1000));
        }
    }

    @Test
    void shouldHoldEverythingAtRateZeroAndFlushItOnRemoval() throws IOException {
        try (Socket socket = connect()) {
            // Given a connection that is already open when the link is cut
            proxy.toxics().bandwidth("cut", DOWNSTREAM, 0);
            InputStream in = socket.getInputStream();

            // When
            socket.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));

            // Then nothing arrives while the toxic is there, and the socket stays open
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> in.available() == 0);
            proxy.toxics().get("cut").remove();
            assertThat(Sockets.utf8(in.readNBytes(4))).isEqualTo("held");
        }
    }

    @Test
    void shouldPaceDataToTheBandwidthRate() throws IOException {
        proxy.toxics().bandwidth("slow", DOWNSTREAM, 20);

        try (Socket socket = connect()) {
            // 10 kB at 20 kB/s, the first 100 ms worth unpaced: at least 400 ms.
            assertThat(Sockets.roundTrip(socket, "x".repeat(10_000))).isBetween(Duration.ofMillis(350), GENEROUS);
        }
    }

    @Test
    void shouldCloseTheClientOnlyAfterTheSlowCloseDelay() throws IOException {
        try (TestServer bye = TestServer.replyAndClose("bye".getBytes(StandardCharsets.UTF_8))) {
            Proxy slow = toxiproxy.createProxy("bye", bye);
            slow.toxics().slowClose("slow_close", DOWNSTREAM, 500);

            long start = System.nanoTime();
            try (Socket socket = EmbeddedToxiproxy.connect(slow)) {
                assertThat(Sockets.utf8(Sockets.readToEnd(socket))).isEqualTo("bye");
            }

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(500), GENEROUS);
        }
    }

    @Test
    void shouldDropDataAndCloseAfterTheTimeout() throws IOException {
        proxy.toxics().timeout("timeout", DOWNSTREAM, 300);

        try (Socket socket = connect()) {
            long start = System.nanoTime();
            socket.getOutputStream().write("dropped".getBytes(StandardCharsets.UTF_8));

            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300), GENEROUS);
        }
    }

    @Test
    void shouldCloseTheConnectionWhenATimeoutIsRemoved() throws IOException {
        proxy.toxics().timeout("timeout", UPSTREAM, 0);

        try (Socket socket = connect()) {
            socket.getOutputStream().write("dropped".getBytes(StandardCharsets.UTF_8));
            proxy.toxics().get("timeout").remove();

            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void shouldResetTheConnectionOnFirstData() throws IOException {
        proxy.toxics().resetPeer("reset_peer", DOWNSTREAM, 0);

        try (Socket socket = connect()) {
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));

            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(SocketException.class)
                    .hasMessageContaining("Connection reset");
        }
    }

    @Test
    void shouldResetTheConnectionAfterTheResetPeerTimeout() throws IOException {
        proxy.toxics().resetPeer("reset_peer", UPSTREAM, 300);

        try (Socket socket = connect()) {
            long start = System.nanoTime();
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));

            assertThatThrownBy(() -> socket.getInputStream().read()).hasMessageContaining("Connection reset");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300), GENEROUS);
        }
    }

    @Test
    void shouldSliceDataIntoDelayedPieces() throws IOException {
        proxy.toxics().slicer("slicer", DOWNSTREAM, 100, 10_000).setSizeVariation(20);

        try (Socket socket = connect()) {
            long start = System.nanoTime();
            socket.getOutputStream().write(new byte[1000]);
            int reads = 0;
            int received = 0;
            byte[] buffer = new byte[2000];
            while (received < 1000) {
                received += socket.getInputStream().read(buffer, 0, buffer.length - received);
                reads++;
            }

            // About ten pieces 10 ms apart: several reads, and at least seven pauses.
            assertThat(reads).isGreaterThanOrEqualTo(3);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(60), GENEROUS);
        }
    }

    @Test
    void shouldCloseAfterTheDownstreamDataLimit() throws IOException {
        proxy.toxics().limitData("limit", DOWNSTREAM, 10);

        try (Socket socket = connect()) {
            socket.getOutputStream().write("0123456789abcdefghij".getBytes(StandardCharsets.UTF_8));

            assertThat(Sockets.utf8(Sockets.readToEnd(socket))).isEqualTo("0123456789");
        }
    }

    @Test
    void shouldForwardOnlyTheUpstreamDataLimitThenClose() throws IOException {
        try (TestServer sink = TestServer.sink()) {
            Proxy limited = toxiproxy.createProxy("sink", sink);
            limited.toxics().limitData("limit", UPSTREAM, 5);

            try (Socket socket = EmbeddedToxiproxy.connect(limited)) {
                socket.getOutputStream().write("0123456789".getBytes(StandardCharsets.UTF_8));

                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }

            await().atMost(GENEROUS).until(() -> sink.endedConnections() == 1);
            assertThat(Sockets.utf8(sink.received())).isEqualTo("01234");
        }
    }
}
