package dev.bulwark.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * An embedded PostgreSQL and an embedded Redis, each a child process on a free loopback port, for
 * zero-setup runs ({@code dev}) and tests. Nothing is persisted: PostgreSQL's data directory is
 * deleted and Redis saves nothing. {@link #close()} stops both and is idempotent and thread-safe,
 * so a shutdown hook and the server's stop can both call it.
 */
public final class EmbeddedBackends implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final RedisServer redis;
    private final int redisPort;
    private boolean closed;

    private EmbeddedBackends(EmbeddedPostgres postgres, RedisServer redis, int redisPort) {
        this.postgres = postgres;
        this.redis = redis;
        this.redisPort = redisPort;
    }

    /** Starts both servers; if Redis fails to start, PostgreSQL is stopped again before this throws. */
    public static EmbeddedBackends start() throws IOException {
        // Our own shutdown handling stops PostgreSQL after the server that uses it.
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
        try {
            int port = freePort();
            RedisServer redis = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            redis.start();
            return new EmbeddedBackends(postgres, redis, port);
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /** JDBC URL of the {@code postgres} database, for user {@code postgres} (no password). */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public String jdbcUser() {
        return "postgres";
    }

    public int postgresPort() {
        return postgres.getPort();
    }

    /** {@code redis://127.0.0.1:<port>/0}. */
    public String redisUrl() {
        return "redis://127.0.0.1:" + redisPort + "/0";
    }

    public int redisPort() {
        return redisPort;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            redis.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop embedded redis on port " + redisPort, e);
        } finally {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not stop embedded postgres on port " + postgresPort(), e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
