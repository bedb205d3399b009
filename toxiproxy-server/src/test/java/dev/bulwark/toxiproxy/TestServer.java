package dev.bulwark.toxiproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP server for tests, playing the upstream behind a proxy. Each accepted connection runs
 * a {@link Behaviour} on its own daemon thread. Counts connections that ended, so tests can see the
 * proxy closing its side. Thread-safe.
 */
final class TestServer implements AutoCloseable {

    /** What the server does with one accepted connection; returning closes it. */
    @FunctionalInterface
    interface Behaviour {
        void serve(Socket socket, TestServer server) throws IOException;
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ended = new AtomicInteger();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private TestServer(Behaviour behaviour) throws IOException {
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.behaviour = behaviour;
        Thread acceptor = new Thread(this::acceptLoop, "test-server-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Writes back everything it reads until the client closes, keeping a copy; see {@link #received()}. */
    static TestServer echo() throws IOException {
        return new TestServer((socket, server) -> {
            byte[] buffer = new byte[32 * 1024];
            int count;
            while ((count = socket.getInputStream().read(buffer)) >= 0) {
                server.record(Arrays.copyOf(buffer, count));
                socket.getOutputStream().write(buffer, 0, count);
            }
        });
    }

    /** Writes {@code reply} as soon as a client connects, then closes. */
    static TestServer replyAndClose(byte[] reply) throws IOException {
        return new TestServer((socket, server) -> socket.getOutputStream().write(reply));
    }

    /** Writes data without pause until the connection breaks. */
    static TestServer firehose() throws IOException {
        return new TestServer((socket, server) -> {
            byte[] block = new byte[16 * 1024];
            OutputStream out = socket.getOutputStream();
            while (true) {
                out.write(block);
            }
        });
    }

    /** Reads until the client closes, keeping what it read; see {@link #received()}. */
    static TestServer sink() throws IOException {
        return new TestServer((socket, server) -> server.record(socket.getInputStream().readAllBytes()));
    }

    int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:port}, for a proxy's upstream. */
    String address() {
        return "127.0.0.1:" + port();
    }

    /** How many connections have ended on the server side. */
    int endedConnections() {
        return ended.get();
    }

    /** Everything {@link #echo()} or {@link #sink()} connections have read so far. */
    byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    private void record(byte[] bytes) {
        synchronized (received) {
            received.writeBytes(bytes);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread worker = new Thread(() -> serve(socket), "test-server-connection");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            behaviour.serve(socket, this);
        } catch (IOException e) {
            // The proxy closed or reset its side: exactly what several tests wait for.
        } finally {
            open.remove(socket);
            ended.incrementAndGet();
        }
    }
}
