package dev.bulwark.toxiproxy;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.toxiproxy.api.ApiError;
import dev.bulwark.toxiproxy.api.ControlApi;
import dev.bulwark.toxiproxy.api.JsonCodec;
import dev.bulwark.toxiproxy.api.ProxyJson;
import dev.bulwark.toxiproxy.stream.ProxyRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Toxiproxy-compatible server running in this JVM: the control API on one port, and the proxies
 * it creates. This is the in-process handle; the standalone jar ({@link Main}) wraps the same class.
 *
 * <pre>{@code
 * try (ToxiproxyServer toxiproxy = ToxiproxyServer.start("127.0.0.1", 0)) {
 *     ToxiproxyClient client = new ToxiproxyClient(toxiproxy.host(), toxiproxy.port());
 *     ...
 * }
 * }</pre>
 *
 * <p>Defaults: host {@value #DEFAULT_HOST} (the API binds only where told), port
 * {@value #DEFAULT_PORT}; port 0 picks a free one. Requests are served by
 * {@value #API_THREADS} daemon threads. {@link #close()} stops the API and every proxy, closing their
 * connections. Thread-safe.
 */
public final class ToxiproxyServer implements AutoCloseable {

    /** The address the control API binds when none is given. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** Toxiproxy's usual control port. */
    public static final int DEFAULT_PORT = 8474;

    private static final int API_THREADS = 4;
    private static final int API_BACKLOG = 64;

    private final HttpServer http;
    private final ExecutorService executor;
    private final ProxyRegistry registry;
    private final JsonCodec json;

    private ToxiproxyServer(HttpServer http, ExecutorService executor, ProxyRegistry registry, JsonCodec json) {
        this.http = http;
        this.executor = executor;
        this.registry = registry;
        this.json = json;
    }

    /**
     * Starts the control API on {@code host:port}.
     *
     * @throws IOException when the address cannot be bound
     */
    public static ToxiproxyServer start(String host, int port) throws IOException {
        ProxyRegistry registry = new ProxyRegistry();
        JsonCodec json = new JsonCodec();
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), API_BACKLOG);
        ExecutorService executor = Executors.newFixedThreadPool(API_THREADS, daemonThreads("toxiproxy-api-"));
        http.setExecutor(executor);
        http.createContext("/", new ControlApi(registry, json));
        http.start();
        return new ToxiproxyServer(http, executor, registry, json);
    }

    /** Starts the control API on {@value #DEFAULT_HOST} and a free port. */
    public static ToxiproxyServer startOnFreePort() throws IOException {
        return start(DEFAULT_HOST, 0);
    }

    /** The host the API is bound to, as an IP address. */
    public String host() {
        return http.getAddress().getAddress().getHostAddress();
    }

    /** The port the API is bound to (the real one when 0 was asked for). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://host:port}, without a trailing slash. */
    public String baseUrl() {
        String host = host().contains(":") ? "[" + host() + "]" : host();
        return "http://" + host + ":" + port();
    }

    /**
     * Creates the proxies described in a file in the {@code POST /populate} format (a JSON array).
     *
     * @return how many proxies the file describes
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when its content is invalid or a proxy cannot listen;
     *                                  then no proxy from the file is left behind
     */
    public int populate(Path config) throws IOException {
        byte[] content = Files.readAllBytes(config);
        try {
            List<ProxyJson> proxies = registry.populate(json.readProxies(content));
            return proxies.size();
        } catch (ApiError e) {
            throw new IllegalArgumentException(config + ": " + e.getMessage(), e);
        }
    }

    /** Stops the API and every proxy. Idempotent. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        registry.closeAll();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
