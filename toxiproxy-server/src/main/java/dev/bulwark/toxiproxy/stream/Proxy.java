package dev.bulwark.toxiproxy.stream;

import dev.bulwark.toxiproxy.api.ApiError;
import dev.bulwark.toxiproxy.api.ProxyJson;
import dev.bulwark.toxiproxy.api.ProxyRequest;
import dev.bulwark.toxiproxy.api.ToxicJson;
import dev.bulwark.toxiproxy.api.ToxicRequest;
import dev.bulwark.toxiproxy.toxics.ToxicChain;
import dev.bulwark.toxiproxy.toxics.ToxicSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named proxy: its configuration, its toxics, its listener while enabled, and its open
 * connections. Toxic changes are applied to every open connection before the call returns.
 * Listening again after a stop binds the address reported by the previous bind, so an ephemeral
 * port stays the same across disable and enable. Thread-safe: state is guarded by this object.
 */
public final class Proxy {

    private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final String name;
    private final ToxicChain toxics = new ToxicChain();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();
    private String listen;
    // Volatile so the accept thread reads it without this lock: closing a listener waits for that thread.
    private volatile String upstream;
    private boolean enabled;
    private Acceptor acceptor;
    private long generation;

    Proxy(String name, String listen, String upstream, boolean enabled) {
        this.name = name;
        this.listen = listen;
        this.upstream = upstream;
        this.enabled = enabled;
    }

    /** A stopped proxy built from a validated create request; call {@link #startListening()} if enabled. */
    static Proxy from(ProxyRequest request) {
        return new Proxy(request.name(), request.listenOrDefault(), request.upstream(), request.enabledOrDefault());
    }

    String name() {
        return name;
    }

    synchronized boolean isEnabled() {
        return enabled;
    }

    public synchronized ProxyJson toJson() {
        return new ProxyJson(name, listen, upstream, enabled, toxicsJson());
    }

    public synchronized List<ToxicJson> toxicsJson() {
        return toxics.all().stream().map(ToxicSpec::toJson).toList();
    }

    /** Whether a populate entry would configure this proxy as it already is (so it is kept). */
    synchronized boolean sameEndpoints(ProxyRequest request) {
        if (!request.upstream().equals(upstream)) {
            return false;
        }
        try {
            ListenAddress wanted = ListenAddress.parse(request.listenOrDefault());
            InetSocketAddress resolved = wanted.resolve();
            return wanted.port() != 0 && !resolved.isUnresolved() && ListenAddress.format(resolved).equals(listen);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Binds the listen address if not listening yet, and records the bound address.
     *
     * @throws ApiError 500 when the address cannot be bound; the proxy stays stopped
     */
    synchronized void startListening() {
        if (acceptor != null) {
            return;
        }
        long startedGeneration = ++generation;
        try {
            acceptor = Acceptor.open(ListenAddress.parse(listen), "toxiproxy " + name + " acceptor",
                    client -> accepted(client, startedGeneration));
        } catch (IOException | IllegalArgumentException e) {
            throw ApiError.listenFailed(listen, e.getMessage());
        }
        listen = acceptor.boundAddress();
    }

    /** Closes the listener (new connections are refused) and every open connection. Toxics stay. */
    synchronized void stopListening() {
        if (acceptor != null) {
            acceptor.close();
            acceptor = null;
        }
        for (Connection connection : List.copyOf(connections)) {
            connection.close();
        }
    }

    /**
     * Applies a partial update: absent fields keep their value. A changed listen or upstream restarts
     * the listener (closing open connections).
     *
     * @throws ApiError 500 when the new address cannot be bound; the old configuration is restored
     */
    public synchronized void update(ProxyRequest request) {
        String nextListen = request.listen() != null ? request.listen() : listen;
        String nextUpstream = request.upstream() != null ? request.upstream() : upstream;
        boolean nextEnabled = request.enabled() != null ? request.enabled() : enabled;
        boolean endpointsChange = !nextListen.equals(listen) || !nextUpstream.equals(upstream);
        if (!endpointsChange && nextEnabled == enabled) {
            return;
        }
        String oldListen = listen;
        String oldUpstream = upstream;
        boolean wasListening = acceptor != null;
        if (endpointsChange || !nextEnabled) {
            stopListening();
        }
        listen = nextListen;
        upstream = nextUpstream;
        if (nextEnabled) {
            try {
                startListening();
            } catch (ApiError e) {
                listen = oldListen;
                upstream = oldUpstream;
                if (wasListening) {
                    startListening();
                }
                throw e;
            }
        }
        enabled = nextEnabled;
    }

    public synchronized ToxicJson toxic(String toxicName) {
        return toxics.get(toxicName).toJson();
    }

    /** @throws ApiError 400 or 409 as {@link ToxicSpec#create} does */
    public synchronized ToxicJson addToxic(ToxicRequest request) {
        ToxicSpec spec = ToxicSpec.create(request, toxicName -> toxics.find(toxicName).isPresent());
        toxics.add(spec);
        long now = System.nanoTime();
        for (Connection connection : connections) {
            connection.link(spec.direction()).addToxic(spec, now);
        }
        return spec.toJson();
    }

    /** @throws ApiError 404 for an unknown toxic, 400 for an invalid value (nothing changes) */
    public synchronized ToxicJson updateToxic(String toxicName, ToxicRequest request) {
        ToxicSpec spec = toxics.get(toxicName).updatedBy(request);
        toxics.replace(spec);
        long now = System.nanoTime();
        for (Connection connection : connections) {
            connection.link(spec.direction()).updateToxic(spec, now);
        }
        return spec.toJson();
    }

    /** @throws ApiError 404 for an unknown toxic */
    public synchronized void removeToxic(String toxicName) {
        ToxicSpec spec = toxics.remove(toxicName);
        long now = System.nanoTime();
        for (Connection connection : connections) {
            connection.apply(connection.link(spec.direction()).removeToxic(toxicName, now));
        }
    }

    synchronized void removeAllToxics() {
        for (ToxicSpec spec : toxics.all()) {
            removeToxic(spec.name());
        }
    }

    private void accepted(SocketChannel client, long acceptedGeneration) {
        String target = upstream;
        long id = connectionIds.incrementAndGet();
        String threadName = "toxiproxy " + name + " #" + id;
        Thread dialer = new Thread(() -> connect(client, target, acceptedGeneration, threadName), threadName + " dial");
        dialer.setDaemon(true);
        dialer.start();
    }

    private void connect(SocketChannel client, String target, long acceptedGeneration, String threadName) {
        SocketChannel upstreamChannel;
        try {
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            upstreamChannel = dial(target);
        } catch (IOException | IllegalArgumentException e) {
            // As in Go: the client sees its connection closed, the proxy carries on.
            LOG.debug("proxy {}: cannot reach upstream {}: {}", name, target, e.toString());
            Connection.closeQuietly(client);
            return;
        }
        Connection connection = new Connection(client, upstreamChannel, connections::remove);
        if (register(connection, acceptedGeneration)) {
            connection.start(threadName);
        } else {
            connection.close();
        }
    }

    private synchronized boolean register(Connection connection, long acceptedGeneration) {
        if (acceptor == null || generation != acceptedGeneration) {
            return false;
        }
        connections.add(connection);
        connection.installToxics(toxics.all(), System.nanoTime());
        return true;
    }

    private static SocketChannel dial(String target) throws IOException {
        InetSocketAddress address = ListenAddress.parse(target).resolve();
        if (address.isUnresolved()) {
            throw new IOException("lookup " + address.getHostString() + ": no such host");
        }
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(address, CONNECT_TIMEOUT_MILLIS);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return channel;
        } catch (IOException | RuntimeException e) {
            Connection.closeQuietly(channel);
            throw e;
        }
    }
}
