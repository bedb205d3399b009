package dev.bulwark.chaos.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import eu.rekawek.toxiproxy.Proxy;

/**
 * One replica of the service: the real jar, {@code java -jar bulwark-service.jar server config.yml}, as a child
 * process on its own free HTTP and admin ports, reaching PostgreSQL and Redis through its own proxies
 * ({@code database-N}, {@code redis-N}), so a fault can hit it alone. It can be stopped as an orchestrator stops a
 * pod ({@link #terminate}: SIGTERM, then wait for the exit) and started again on the same ports. The output of
 * every run goes to {@code instance-N.log} in the fleet's directory. Thread-safe for reads; start and stop it
 * from one thread.
 */
public final class ServiceInstance implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final int index;
    private final Path jar;
    private final Path config;
    private final Path log;
    private final Map<String, String> env;
    private final int httpPort;
    private final int adminPort;
    private final Proxy database;
    private final Proxy redis;
    private volatile Process process;

    ServiceInstance(int index, Path jar, Path config, Path log, Map<String, String> env, int httpPort, int adminPort,
                    Proxy database, Proxy redis) {
        this.index = index;
        this.jar = jar;
        this.config = config;
        this.log = log;
        this.env = Map.copyOf(env);
        this.httpPort = httpPort;
        this.adminPort = adminPort;
        this.database = database;
        this.redis = redis;
    }

    /** Launches the process (it is ready later: {@link #awaitReady}). */
    public void start() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Three replicas, the load and the test share a small machine: keep each JVM modest.
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString(), "server", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name(), e);
        }
    }

    /** Waits until {@code /health-check?type=ready} answers 200, or fails with the output if the process exits. */
    public Duration awaitReady(Duration atMost) {
        long start = System.nanoTime();
        long deadline = start + atMost.toNanos();
        while (readinessStatus() != 200) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name() + " exited with " + process.exitValue() + ":\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name() + " not ready within " + atMost + ":\n" + output());
            }
            pause();
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Stops it as Kubernetes or a process manager does: SIGTERM, then waits for the exit (SIGKILL after
     * {@code atMost}, which then fails).
     *
     * @return how long the process took to exit
     */
    public Duration terminate(Duration atMost) {
        long start = System.nanoTime();
        process.destroy();
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new IllegalStateException(name() + " still running " + atMost + " after SIGTERM:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + name() + " stopped", e);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The status of {@code GET /health-check?type=ready}, or -1 when nothing answers. */
    public int readinessStatus() {
        return status(httpPort, "/health-check?type=ready");
    }

    /** The status of the admin port's {@code GET /healthcheck} (200 when every check passes), or -1. */
    public int adminHealthStatus() {
        return status(adminPort, "/healthcheck");
    }

    /** Whether the process runs. */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Its exit code; only once it exited. */
    public int exitValue() {
        return process.exitValue();
    }

    /** {@code instance-N}. */
    public String name() {
        return "instance-" + index;
    }

    public int httpPort() {
        return httpPort;
    }

    public int adminPort() {
        return adminPort;
    }

    /** Its own proxy in front of PostgreSQL, {@code database-N}. */
    public Proxy database() {
        return database;
    }

    /** Its own proxy in front of Redis, {@code redis-N}. */
    public Proxy redis() {
        return redis;
    }

    /** Everything it printed since it was first started (its log file). */
    public String output() {
        return ProcessLog.read(log);
    }

    private static int status(int port, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    // A poll interval, not a wait for something: the harness has no Awaitility on its main class path.
    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Kills the process (SIGKILL) if it still runs. */
    @Override
    public void close() {
        Process running = process;
        if (running != null && running.isAlive()) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
    }
}
