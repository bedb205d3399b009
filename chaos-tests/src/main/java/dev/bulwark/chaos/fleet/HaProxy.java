package dev.bulwark.chaos.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Debian's HAProxy ({@code haproxy}, 2.6 here) as a child process in front of the fleet, with the settings
 * docs/resilience.md recommends: round robin over the replicas, each checked actively on
 * {@code GET /health-check?type=ready} every 500 ms (out after 2 failures, back after 2 passes), and idempotent
 * requests (GET, PUT and DELETE are the whole API) retried on another replica when they met a 503, a refused
 * connection, an empty response or a response timeout ({@code retry-on conn-failure empty-response
 * response-timeout 503}, {@code retries 2}, {@code option redispatch 1}). L7 retries need the request kept:
 * {@code option http-buffer-request} reads a PUT's body before the first attempt ({@link #withoutRequestBuffering()}
 * drops it, to see what it changes). The config is written to {@code haproxy.cfg} in the fleet's directory.
 * Not thread-safe; start and close it from one thread.
 */
public final class HaProxy implements AutoCloseable {

    /** The binary this expects on the PATH. */
    public static final String BINARY = "haproxy";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Path directory;
    private final int port;
    private final int statsPort;
    private final List<Integer> serverPorts;
    private final boolean bufferRequests;
    private Process process;

    private HaProxy(Path directory, int port, int statsPort, List<Integer> serverPorts, boolean bufferRequests) {
        this.directory = directory;
        this.port = port;
        this.statsPort = statsPort;
        this.serverPorts = List.copyOf(serverPorts);
        this.bufferRequests = bufferRequests;
    }

    /** An HAProxy, not started, on a free port of 127.0.0.1 in front of these replicas' HTTP ports. */
    public static HaProxy in(Path directory, List<Integer> serverPorts) {
        return new HaProxy(directory, FreePorts.next(), FreePorts.next(), serverPorts, true);
    }

    /** The same, without {@code option http-buffer-request}. */
    public HaProxy withoutRequestBuffering() {
        return new HaProxy(directory, port, statsPort, serverPorts, false);
    }

    /** Where {@code haproxy} is on the PATH, if it is. */
    public static Optional<Path> binary() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, BINARY);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        for (String dir : List.of("/usr/sbin", "/usr/local/sbin")) {
            Path candidate = Path.of(dir, BINARY);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The generated configuration. */
    public String config() {
        String servers = IntStream.range(0, serverPorts.size())
                .mapToObj(i -> "  server instance-" + (i + 1) + " 127.0.0.1:" + serverPorts.get(i) + " check")
                .collect(Collectors.joining("\n"));
        return """
                global
                  maxconn 2000
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 30s
                  timeout server 10s
                  retries 2
                  option redispatch 1
                  retry-on conn-failure empty-response response-timeout 503
                %s
                frontend items
                  bind 127.0.0.1:%d
                  default_backend replicas
                frontend stats
                  bind 127.0.0.1:%d
                  stats enable
                  stats uri /stats
                backend replicas
                  balance roundrobin
                  option httpchk GET /health-check?type=ready
                  http-check expect status 200
                  default-server inter 500ms fall 2 rise 2
                %s
                """.formatted(bufferRequests ? "  option http-buffer-request" : "", port, statsPort, servers);
    }

    /** Starts it in the foreground ({@code -db}) and waits until it accepts connections. */
    public HaProxy start() {
        Path binary = binary().orElseThrow(() -> new IllegalStateException("no haproxy on the PATH"));
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve("haproxy.cfg");
            Files.writeString(file, config(), StandardCharsets.UTF_8);
            Files.deleteIfExists(log());
            process = new ProcessBuilder(binary.toString(), "-db", "-f", file.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start haproxy", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("haproxy did not start:\n" + config() + "\n" + output());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return this;
    }

    /** The port clients send to. */
    public int port() {
        return port;
    }

    /** What it printed (warnings, and every server going up or down): its log file. */
    public String output() {
        return ProcessLog.read(log());
    }

    private Path log() {
        return directory.resolve("haproxy.log");
    }

    /**
     * The state HAProxy has for the replica {@code server} right now ({@code UP}, {@code DOWN}, {@code UP 1/2}
     * while it rises, ...), from its statistics page as CSV.
     */
    public String serverStatus(String server) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                .timeout(Duration.ofSeconds(2)).build();
        String csv;
        try {
            csv = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException("haproxy's statistics did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        List<String> header = List.of(csv.lines().findFirst().orElse("").replaceFirst("^# ", "").split(","));
        int status = header.indexOf("status");
        return csv.lines().skip(1).map(line -> line.split(","))
                .filter(fields -> fields.length > status && fields[0].equals("replicas") && fields[1].equals(server))
                .map(fields -> fields[status]).findFirst()
                .orElseThrow(() -> new IllegalStateException("no server " + server + " in haproxy's statistics:\n" + csv));
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
