package dev.bulwark.chaos;

import dev.bulwark.chaos.report.ChaosReport;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.toxiproxy.ToxiproxyContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL, Redis and a Toxiproxy with two proxies, {@value #DATABASE} and {@value #REDIS}, in front of
 * them: the service is only ever given the proxies' addresses ({@link #serviceJdbcUrl()},
 * {@link #serviceRedisUrl()}), so every fault the suite injects through {@link #toxiproxy()} reaches it.
 * Chosen once per JVM ({@link #shared()}):
 * <ol>
 *   <li>{@value ToxiproxyEndpoint#URL_SETTING} set: that Toxiproxy, with the backends of
 *       {@link Backends#fromEnvironment()} ({@code BULWARK_TEST_*}) or embedded ones; the proxies listen on
 *       127.0.0.1, so that Toxiproxy must run on this machine;</li>
 *   <li>otherwise, when a Docker engine answers: {@code postgres:15-alpine}, {@code redis:7-alpine} and the
 *       real Toxiproxy image on one Network, the proxies reaching the backends by their network aliases;</li>
 *   <li>otherwise the embedded Toxiproxy-compatible server, with {@code BULWARK_TEST_*} or embedded backends.</li>
 * </ol>
 * The scenario code is the same on every path. Everything started here is stopped when the JVM exits.
 * Thread-safe: the proxies are only changed through Toxiproxy's API.
 */
public final class ChaosEnvironment {

    /** The proxy in front of PostgreSQL. */
    public static final String DATABASE = "database";
    /** The proxy in front of Redis. */
    public static final String REDIS = "redis";

    private static final Logger LOG = LoggerFactory.getLogger(ChaosEnvironment.class);

    private final String description;
    private final Backends backends;
    private final ToxiproxyClient toxiproxy;
    private final String databaseProxyAddress;
    private final String redisProxyAddress;
    private final ResiliencyMatrix matrix;
    private final ChaosReport report;

    private ChaosEnvironment(String description, Backends backends, ToxiproxyClient toxiproxy,
                             String databaseProxyAddress, String redisProxyAddress) {
        this.description = description;
        this.backends = backends;
        this.toxiproxy = toxiproxy;
        this.databaseProxyAddress = databaseProxyAddress;
        this.redisProxyAddress = redisProxyAddress;
        String matrixDirectory = System.getProperty("resiliency.matrix.dir", "target");
        this.matrix = ResiliencyMatrix.inDirectory(matrixDirectory);
        this.report = ChaosReport.inDirectory(
                Path.of(System.getProperty("chaos.report.dir", matrixDirectory + "/chaos-report")), matrix.jsonFile());
    }

    /** The environment for this JVM, started on first use. */
    public static ChaosEnvironment shared() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        private static final ChaosEnvironment INSTANCE = start();
    }

    private static ChaosEnvironment start() {
        UnaryOperator<String> settings = name -> System.getProperty(name, System.getenv(name));
        String url = settings.apply(ToxiproxyEndpoint.URL_SETTING);
        try {
            ChaosEnvironment environment = (url == null || url.isBlank()) && dockerAvailable()
                    ? containers()
                    : local(ToxiproxyEndpoint.pick(settings, () -> false));
            LOG.info("Chaos environment: {}", environment.description);
            System.out.println("Chaos environment: " + environment.description);
            return environment;
        } catch (IOException e) {
            throw new UncheckedIOException("could not set up the chaos environment", e);
        }
    }

    private static ChaosEnvironment local(ToxiproxyEndpoint endpoint) throws IOException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(endpoint), "toxiproxy-stop"));
        Backends backends = Backends.fromEnvironment().orElseGet(Backends::embedded);
        ToxiproxyClient client = endpoint.client();
        Proxy database = recreate(client, DATABASE, "127.0.0.1:0", backends.databaseAddress());
        Proxy redis = recreate(client, REDIS, "127.0.0.1:0", backends.redisAddress());
        return new ChaosEnvironment("Toxiproxy " + endpoint.kind().name().toLowerCase() + " at " + endpoint.baseUrl()
                + ", " + backends.source() + " PostgreSQL " + backends.databaseAddress() + " and Redis "
                + backends.redisAddress(), backends, client, database.getListen(), redis.getListen());
    }

    @SuppressWarnings("resource") // stopped by the shutdown hook
    private static ChaosEnvironment containers() throws IOException {
        Network network = Network.newNetwork();
        PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse("postgres:15-alpine"))
                .withNetwork(network).withNetworkAliases("postgres");
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:7-alpine"))
                .withExposedPorts(6379).withNetwork(network).withNetworkAliases("redis");
        ToxiproxyContainer toxiproxy = new ToxiproxyContainer(DockerImageName.parse(ToxiproxyEndpoint.IMAGE))
                .withNetwork(network);
        List<AutoCloseable> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.forEach(ChaosEnvironment::closeQuietly);
            network.close();
        }, "containers-stop"));
        postgres.start();
        started.add(postgres::stop);
        redis.start();
        started.add(redis::stop);
        toxiproxy.start();
        started.add(toxiproxy::stop);

        Backends backends = new Backends("testcontainers", postgres.getJdbcUrl(), postgres.getUsername(),
                postgres.getPassword(), "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379) + "/0");
        ToxiproxyClient client = new ToxiproxyClient(toxiproxy.getHost(), toxiproxy.getControlPort());
        // Ports 8666 and 8667 are among those the Toxiproxy container exposes.
        recreate(client, DATABASE, "0.0.0.0:8666", "postgres:5432");
        recreate(client, REDIS, "0.0.0.0:8667", "redis:6379");
        return new ChaosEnvironment("Toxiproxy and backends in containers", backends, client,
                toxiproxy.getHost() + ":" + toxiproxy.getMappedPort(8666),
                toxiproxy.getHost() + ":" + toxiproxy.getMappedPort(8667));
    }

    private static Proxy recreate(ToxiproxyClient client, String name, String listen, String upstream)
            throws IOException {
        Proxy existing = client.getProxyOrNull(name);
        if (existing != null) {
            existing.delete();
        }
        return client.createProxy(name, listen, upstream);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("could not stop {}: {}", closeable, e.toString());
        }
    }

    /** The official client for this environment's Toxiproxy. */
    public ToxiproxyClient toxiproxy() {
        return toxiproxy;
    }

    /** The {@value #DATABASE} proxy. */
    public Proxy database() {
        return proxy(DATABASE);
    }

    /** The {@value #REDIS} proxy. */
    public Proxy redis() {
        return proxy(REDIS);
    }

    /** Removes every toxic and enables every proxy: the start of each scenario. */
    public void reset() {
        try {
            toxiproxy.reset();
        } catch (IOException e) {
            throw new UncheckedIOException("could not reset Toxiproxy", e);
        }
    }

    /** The real backends, for reading PostgreSQL directly. */
    public Backends backends() {
        return backends;
    }

    /** The JDBC URL the service must use: through the {@value #DATABASE} proxy. */
    public String serviceJdbcUrl() {
        return backends.jdbcUrlVia(databaseProxyAddress);
    }

    /** The Redis URL the service must use: through the {@value #REDIS} proxy. */
    public String serviceRedisUrl() {
        return backends.redisUrlVia(redisProxyAddress);
    }

    /** {@code host:port} the service reaches the {@value #DATABASE} proxy on. */
    public String databaseProxyAddress() {
        return databaseProxyAddress;
    }

    /** The report every scenario adds its row to. */
    public ResiliencyMatrix matrix() {
        return matrix;
    }

    /** The chaos report: {@code chaos.report.dir}, else {@code chaos-report} beside the matrix, whose JSON it reads. */
    public ChaosReport report() {
        return report;
    }

    /** Which Toxiproxy and backends were picked. */
    public String description() {
        return description;
    }

    private Proxy proxy(String name) {
        try {
            return toxiproxy.getProxy(name);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read proxy " + name, e);
        }
    }
}
