package dev.bulwark.toxiproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark, not a test (so it does not run in {@code mvn verify}): loopback throughput of a 256 MiB
 * transfer and the round-trip time of a 100-byte request/response, each direct and through a
 * toxic-free proxy of the embedded server. Prints the figures recorded in {@code docs/benchmarks.md}.
 *
 * <pre>
 * mvn -B -q -pl toxiproxy-server -am package -DskipTests
 * java -cp toxiproxy-server/target/toxiproxy-server.jar:toxiproxy-server/target/test-classes \
 *     dev.bulwark.toxiproxy.ToxiproxyBenchmark
 * </pre>
 *
 * Every socket is on 127.0.0.1; every loop is bounded by a count.
 */
public final class ToxiproxyBenchmark {

    private static final long TRANSFER_BYTES = 256L * 1024 * 1024;
    private static final long WARM_UP_TRANSFER_BYTES = 64L * 1024 * 1024;
    private static final int TRANSFER_RUNS = 3;
    private static final int MESSAGE_BYTES = 100;
    private static final int WARM_UP_ROUND_TRIPS = 5_000;
    private static final int MEASURED_ROUND_TRIPS = 20_000;
    private static final int ROUND_TRIP_BLOCK = 1_000;

    private ToxiproxyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "cores: %d, java: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        try (ToxiproxyServer server = ToxiproxyServer.startOnFreePort();
             ServerSocket sink = loopbackServer();
             ServerSocket echo = loopbackServer()) {
            int sinkProxyPort = createProxy(server, "sink", sink.getLocalPort());
            int echoProxyPort = createProxy(server, "echo", echo.getLocalPort());
            throughput(sink, sinkProxyPort);
            latency(echo, echoProxyPort);
        }
    }

    private static void throughput(ServerSocket sink, int proxyPort) throws Exception {
        transfer(sink, sink.getLocalPort(), WARM_UP_TRANSFER_BYTES);
        transfer(sink, proxyPort, WARM_UP_TRANSFER_BYTES);
        double[] direct = new double[TRANSFER_RUNS];
        double[] proxied = new double[TRANSFER_RUNS];
        for (int run = 0; run < TRANSFER_RUNS; run++) {
            direct[run] = transfer(sink, sink.getLocalPort(), TRANSFER_BYTES);
            proxied[run] = transfer(sink, proxyPort, TRANSFER_BYTES);
        }
        double directMedian = median(direct);
        double proxiedMedian = median(proxied);
        System.out.printf(Locale.ROOT, "throughput, 256 MiB, median of %d runs: direct %.0f MiB/s, proxied %.0f MiB/s,"
                + " ratio %.0f%% (goal >= 50%%)%n", TRANSFER_RUNS, directMedian, proxiedMedian,
                100 * proxiedMedian / directMedian);
        System.out.printf(Locale.ROOT, "  runs direct %s, proxied %s%n", Arrays.toString(direct), Arrays.toString(proxied));
    }

    /** Sends {@code bytes} to the sink through {@code port}; returns MiB/s until the sink has read them all. */
    private static double transfer(ServerSocket sink, int port, long bytes) throws Exception {
        CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> drainOne(sink));
        byte[] block = new byte[64 * 1024];
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            for (long sent = 0; sent < bytes; sent += block.length) {
                out.write(block);
            }
            socket.shutdownOutput();
            if (received.get(120, TimeUnit.SECONDS) != bytes) {
                throw new IllegalStateException("sink received " + received.get() + " of " + bytes + " bytes");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return bytes / (1024.0 * 1024.0) / seconds;
    }

    private static long drainOne(ServerSocket sink) {
        try (Socket socket = sink.accept()) {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int count;
            while ((count = in.read(buffer)) >= 0) {
                total += count;
            }
            return total;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void latency(ServerSocket echo, int proxyPort) throws Exception {
        CompletableFuture<Void> directServer = CompletableFuture.runAsync(() -> echoOne(echo));
        try (RoundTripper direct = new RoundTripper(echo.getLocalPort())) {
            CompletableFuture<Void> proxiedServer = CompletableFuture.runAsync(() -> echoOne(echo));
            try (RoundTripper proxied = new RoundTripper(proxyPort)) {
                direct.run(WARM_UP_ROUND_TRIPS, false);
                proxied.run(WARM_UP_ROUND_TRIPS, false);
                // Alternating blocks so both paths see the same background load on a shared machine.
                for (int block = 0; block < MEASURED_ROUND_TRIPS / ROUND_TRIP_BLOCK; block++) {
                    direct.run(ROUND_TRIP_BLOCK, true);
                    proxied.run(ROUND_TRIP_BLOCK, true);
                }
                report(direct.sortedSamples(), proxied.sortedSamples());
            }
            proxiedServer.get(10, TimeUnit.SECONDS);
        }
        directServer.get(10, TimeUnit.SECONDS);
    }

    private static void report(long[] direct, long[] proxied) {
        double addedMedian = (percentile(proxied, 50) - percentile(direct, 50)) / 1000.0;
        System.out.printf(Locale.ROOT, "round trip, %d-byte request/response, %d samples each:%n", MESSAGE_BYTES,
                MEASURED_ROUND_TRIPS);
        System.out.printf(Locale.ROOT, "  direct  median %.1f us, p99 %.1f us%n",
                percentile(direct, 50) / 1000.0, percentile(direct, 99) / 1000.0);
        System.out.printf(Locale.ROOT, "  proxied median %.1f us, p99 %.1f us%n",
                percentile(proxied, 50) / 1000.0, percentile(proxied, 99) / 1000.0);
        System.out.printf(Locale.ROOT, "  added median %.1f us (goal <= 100 us)%n", addedMedian);
    }

    /** One connection to an echo server, timing {@value #MESSAGE_BYTES}-byte round trips in nanoseconds. */
    private static final class RoundTripper implements AutoCloseable {
        private final Socket socket;
        private final byte[] message = new byte[MESSAGE_BYTES];
        private final long[] samples = new long[MEASURED_ROUND_TRIPS];
        private int recorded;

        RoundTripper(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
        }

        void run(int count, boolean record) throws IOException {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                out.write(message);
                if (in.readNBytes(message, 0, MESSAGE_BYTES) != MESSAGE_BYTES) {
                    throw new IllegalStateException("echo closed early");
                }
                if (record) {
                    samples[recorded++] = System.nanoTime() - start;
                }
            }
        }

        long[] sortedSamples() {
            long[] sorted = Arrays.copyOf(samples, recorded);
            Arrays.sort(sorted);
            return sorted;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void echoOne(ServerSocket echo) {
        try (Socket socket = echo.accept()) {
            socket.setTcpNoDelay(true);
            socket.getInputStream().transferTo(socket.getOutputStream());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int createProxy(ToxiproxyServer server, String name, int upstreamPort) throws Exception {
        String body = "{\"name\":\"" + name + "\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:" + upstreamPort + "\"}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/proxies"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("cannot create proxy: " + response.body());
        }
        String listen = response.body().replaceAll(".*\"listen\":\"([^\"]+)\".*", "$1");
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    private static ServerSocket loopbackServer() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double percentile(long[] sorted, int percent) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }
}
