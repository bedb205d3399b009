package dev.bulwark.service.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a fixed loopback port that a test can take down and bring back, so a real
 * PostgreSQL or Redis "goes away" for the service under test: {@link #disable()} refuses new
 * connections and resets open ones, {@link #enable()} listens again on the same port, and
 * {@link #resetConnections()} resets open connections but keeps accepting. Thread-safe.
 */
public final class TcpForwarder implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    private TcpForwarder(String targetHost, int targetPort, int port) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = port;
    }

    /** Starts forwarding a free loopback port to {@code targetHost:targetPort}. */
    public static TcpForwarder to(String targetHost, int targetPort) throws IOException {
        TcpForwarder forwarder = new TcpForwarder(targetHost, targetPort, Ports.freeLoopbackPort());
        forwarder.enable();
        return forwarder;
    }

    public int port() {
        return port;
    }

    /** Listens (again) on the same port. */
    public synchronized void enable() throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listener = socket;
        daemon("forwarder-accept-" + port, () -> accept(socket));
    }

    /** Refuses new connections and resets every open one: the dependency is down. */
    public synchronized void disable() throws IOException {
        if (listener != null) {
            listener.close();
            listener = null;
        }
        resetConnections();
    }

    /** Resets every open connection (the peer sees "connection reset"); new ones are still accepted. */
    public synchronized void resetConnections() {
        sockets.forEach(TcpForwarder::reset);
        sockets.clear();
    }

    /** Connections currently open through the forwarder (client side). */
    public int openConnections() {
        return sockets.size() / 2;
    }

    @Override
    public void close() throws IOException {
        disable();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket upstream;
                try {
                    upstream = new Socket(targetHost, targetPort);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                // A connection accepted while disable() ran must not outlive it: register under the same lock,
                // and only if this listener is still the current one.
                synchronized (this) {
                    if (listener != socket) {
                        reset(client);
                        reset(upstream);
                        continue;
                    }
                    sockets.add(client);
                    sockets.add(upstream);
                }
                daemon("forwarder-up-" + port, () -> pump(client, upstream));
                daemon("forwarder-down-" + port, () -> pump(upstream, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException closed) {
            // One side went away; the other is closed below, as a real peer would see it.
        } finally {
            quietlyClose(from);
            quietlyClose(to);
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private void quietlyClose(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
