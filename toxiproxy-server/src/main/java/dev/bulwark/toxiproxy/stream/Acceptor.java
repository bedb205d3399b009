package dev.bulwark.toxiproxy.stream;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A proxy's listening socket and the daemon thread that accepts clients on it. Binds with
 * SO_REUSEADDR so a proxy can listen again on the same port right after it was closed; closing
 * returns once the port is released and the thread has ended. Thread-safe.
 */
final class Acceptor implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);
    private static final int BACKLOG = 128;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final ServerSocketChannel server;
    private final String boundAddress;
    private final Consumer<SocketChannel> onAccept;
    private final Thread thread;
    private volatile boolean closed;

    private Acceptor(ServerSocketChannel server, String threadName, Consumer<SocketChannel> onAccept)
            throws IOException {
        this.server = server;
        this.boundAddress = ListenAddress.format((InetSocketAddress) server.getLocalAddress());
        this.onAccept = onAccept;
        this.thread = new Thread(this::acceptLoop, threadName);
        thread.setDaemon(true);
    }

    /**
     * Binds {@code address} and starts accepting.
     *
     * @throws IOException when the address cannot be resolved or bound; nothing is left open
     */
    static Acceptor open(ListenAddress address, String threadName, Consumer<SocketChannel> onAccept)
            throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            InetSocketAddress socketAddress = address.resolve();
            if (socketAddress.isUnresolved()) {
                throw new IOException("lookup " + address.host() + ": no such host");
            }
            server.bind(socketAddress, BACKLOG);
            Acceptor acceptor = new Acceptor(server, threadName, onAccept);
            acceptor.thread.start();
            return acceptor;
        } catch (IOException | RuntimeException e) {
            Connection.closeQuietly(server);
            throw e;
        }
    }

    /** The address actually bound, with the real port when 0 was asked for. */
    String boundAddress() {
        return boundAddress;
    }

    /** Closes the listening socket and waits until the port is free to bind again. */
    @Override
    public void close() {
        closed = true;
        Connection.closeQuietly(server);
        // The JDK defers the real close of a channel until a thread blocked in accept() has left it;
        // waiting for that thread is what lets the same port be bound again right away.
        if (Thread.currentThread() != thread) {
            try {
                thread.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // Typically out of file descriptors: back off briefly instead of spinning.
                LOG.warn("accept failed on {}: {}", boundAddress, e.toString());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            onAccept.accept(client);
        }
    }
}
