package dev.bulwark.toxiproxy.stream;

import dev.bulwark.toxiproxy.toxics.Direction;
import dev.bulwark.toxiproxy.toxics.Fault;
import dev.bulwark.toxiproxy.toxics.ToxicSpec;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One proxied connection: the accepted client socket, the socket dialled to the upstream, and the
 * two {@link Link}s between them, each run by a reader and a writer daemon thread.
 *
 * <p>When one direction ends its writer closes its destination socket, which ends the other
 * direction's reader, and once both links have ended the connection closes itself. {@link #close()}
 * and {@link #reset()} end everything at once; every thread then finishes. Thread-safe.
 */
final class Connection {

    private final SocketChannel client;
    private final SocketChannel upstream;
    private final Link upstreamLink;
    private final Link downstreamLink;
    private final Consumer<Connection> onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger endedLinks = new AtomicInteger();

    Connection(SocketChannel client, SocketChannel upstream, Consumer<Connection> onClosed) {
        this.client = client;
        this.upstream = upstream;
        this.onClosed = onClosed;
        this.upstreamLink = new Link(this, client, upstream);
        this.downstreamLink = new Link(this, upstream, client);
    }

    Link link(Direction direction) {
        return direction == Direction.UPSTREAM ? upstreamLink : downstreamLink;
    }

    /** Installs the proxy's current toxics on both links. Call before {@link #start}. */
    void installToxics(List<ToxicSpec> toxics, long now) {
        for (ToxicSpec spec : toxics) {
            link(spec.direction()).addToxic(spec, now);
        }
    }

    void start(String threadName) {
        startThread(threadName + " upstream reader", upstreamLink::runReader);
        startThread(threadName + " upstream writer", upstreamLink::runWriter);
        startThread(threadName + " downstream reader", downstreamLink::runReader);
        startThread(threadName + " downstream writer", downstreamLink::runWriter);
    }

    /** Applies what a removed toxic asked for. */
    void apply(Fault fault) {
        switch (fault) {
            case CLOSE -> close();
            case RESET -> reset();
            default -> { }
        }
    }

    /** Closes both sockets normally and stops both links. Idempotent. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(client);
            closeQuietly(upstream);
            upstreamLink.stop();
            downstreamLink.stop();
            onClosed.accept(this);
        }
    }

    /** Closes both sockets with SO_LINGER 0, so each peer gets a TCP RST. */
    void reset() {
        for (SocketChannel channel : List.of(client, upstream)) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException e) {
                // Already closed: there is nothing left to reset on this side.
            }
        }
        close();
    }

    void linkEnded() {
        if (endedLinks.incrementAndGet() == 2) {
            close();
        }
    }

    static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing is best effort: the socket is unusable either way.
        }
    }

    private static void startThread(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
