package dev.bulwark.chaos;

import dev.bulwark.toxiproxy.ToxiproxyServer;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.toxiproxy.ToxiproxyContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Toxiproxy the chaos harness drives, chosen so the harness code is the same everywhere:
 * <ol>
 *   <li>{@value #URL_SETTING} (system property first, then environment variable), e.g.
 *       {@code http://127.0.0.1:8474}: a server someone already runs; closing leaves it running;</li>
 *   <li>else, when a Docker engine answers, the real image {@value #IMAGE} in a Testcontainers
 *       container, stopped on close;</li>
 *   <li>else the embedded {@link ToxiproxyServer} on 127.0.0.1 and a free port, stopped on close.</li>
 * </ol>
 * Docker is only probed when no URL is set. Thread-safe; close once when the run ends.
 */
public final class ToxiproxyEndpoint implements AutoCloseable {

    /** Names the setting that points the harness at a running Toxiproxy. */
    public static final String URL_SETTING = "TOXIPROXY_URL";

    /** The real server's image, used when Docker is available. */
    public static final String IMAGE = "ghcr.io/shopify/toxiproxy:2.12.0";

    private static final Logger LOG = LoggerFactory.getLogger(ToxiproxyEndpoint.class);
    private static final int DEFAULT_CONTROL_PORT = 8474;

    /** Which of the three ways was picked. */
    public enum Kind {
        /** {@value #URL_SETTING} was set. */
        EXTERNAL,
        /** The real image under Testcontainers. */
        CONTAINER,
        /** The in-process server. */
        EMBEDDED
    }

    private final Kind kind;
    private final String baseUrl;
    private final AutoCloseable owned;

    private ToxiproxyEndpoint(Kind kind, String baseUrl, AutoCloseable owned) {
        this.kind = kind;
        this.baseUrl = baseUrl;
        this.owned = owned;
    }

    /** Picks from this process's settings and the local Docker engine. */
    public static ToxiproxyEndpoint pick() throws IOException {
        return pick(name -> System.getProperty(name, System.getenv(name)),
                () -> DockerClientFactory.instance().isDockerAvailable());
    }

    /**
     * Picks from the given settings and Docker probe.
     *
     * @throws IllegalArgumentException when {@value #URL_SETTING} is not an http(s) URL with a host
     * @throws IOException              when the embedded server cannot start
     */
    static ToxiproxyEndpoint pick(UnaryOperator<String> settings, BooleanSupplier dockerAvailable) throws IOException {
        String url = settings.apply(URL_SETTING);
        if (url != null && !url.isBlank()) {
            return new ToxiproxyEndpoint(Kind.EXTERNAL, normalize(url.trim()), null);
        }
        if (dockerAvailable.getAsBoolean()) {
            ToxiproxyContainer container = new ToxiproxyContainer(DockerImageName.parse(IMAGE));
            container.start();
            String containerUrl = "http://" + container.getHost() + ":" + container.getControlPort();
            LOG.info("Toxiproxy: container {} at {}", IMAGE, containerUrl);
            return new ToxiproxyEndpoint(Kind.CONTAINER, containerUrl, container::stop);
        }
        ToxiproxyServer server = ToxiproxyServer.startOnFreePort();
        LOG.info("Toxiproxy: no {} and no Docker engine, embedded server at {}", URL_SETTING, server.baseUrl());
        return new ToxiproxyEndpoint(Kind.EMBEDDED, server.baseUrl(), server);
    }

    public Kind kind() {
        return kind;
    }

    /** {@code http://host:port} of the control API, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /** A client of the official Java library for this endpoint. */
    public ToxiproxyClient client() {
        URI uri = URI.create(baseUrl);
        return new ToxiproxyClient(uri.getScheme(), uri.getHost(), uri.getPort());
    }

    /** Stops what {@link #pick} started; an external server is left running. */
    @Override
    public void close() throws Exception {
        if (owned != null) {
            owned.close();
        }
    }

    private static String normalize(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw invalidUrl(url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw invalidUrl(url);
        }
        int port = uri.getPort() == -1 ? DEFAULT_CONTROL_PORT : uri.getPort();
        return scheme + "://" + uri.getHost() + ":" + port;
    }

    private static IllegalArgumentException invalidUrl(String url) {
        return new IllegalArgumentException(URL_SETTING + " must look like http://127.0.0.1:8474, got: " + url);
    }
}
