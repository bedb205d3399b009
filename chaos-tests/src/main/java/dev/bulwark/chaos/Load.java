package dev.bulwark.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A small, bounded traffic generator for the service on {@code 127.0.0.1}: a few clients, each sending a
 * paced mix of {@code PUT /items/{id}} and {@code GET /items/{id}} over a fixed set of ids, until
 * {@link #stop()}, the request cap or the time cap. Every request becomes a {@link Sample} tagged with the
 * current {@link #phase(String)}; every acknowledged (2xx) PUT goes into the {@link Ledger}.
 *
 * <p>Defaults: 4 clients, 200 ids, half writes, 50 requests a second per client, at most 60 s and
 * 50,000 requests, 10 s per request. Pacing caps the rate, it does not wait for anything: a client
 * that falls behind sends its next request at once. Thread-safe.
 */
public final class Load {

    // One client for every load in this JVM, on a fixed set of threads, so a load leaves no threads behind.
    private static final ExecutorService HTTP_THREADS = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "load-http");
        thread.setDaemon(true);
        return thread;
    });
    private static final HttpClient HTTP = HttpClient.newBuilder().executor(HTTP_THREADS)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Builder settings;
    private final Ledger ledger;
    private final Queue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final AtomicLong sent = new AtomicLong();
    private final List<Thread> clients = new ArrayList<>();
    private final long deadlineNanos;
    private volatile String phase = "before";
    private volatile boolean running = true;

    private Load(Builder settings) {
        this.settings = settings;
        this.ledger = settings.ledger;
        this.deadlineNanos = System.nanoTime() + settings.maxDuration.toNanos();
    }

    /** Settings for a load on the service's application port. */
    public static Builder on(int port) {
        return new Builder(port);
    }

    /** Tags the requests sent from now on. */
    public void phase(String name) {
        this.phase = name;
    }

    /** Requests finished so far, all phases. */
    public LoadResult snapshot() {
        return new LoadResult(new ArrayList<>(samples));
    }

    /** Stops the clients, waits for their last requests (bounded by the request timeout) and returns all samples. */
    public LoadResult stop() {
        running = false;
        for (Thread client : clients) {
            try {
                client.join(settings.requestTimeout.plusSeconds(1).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return snapshot();
    }

    public Ledger ledger() {
        return ledger;
    }

    /** The ids this load uses: {@code <prefix>-0} to {@code <prefix>-(n-1)}. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < settings.items; i++) {
            ids.add(settings.prefix + "-" + i);
        }
        return ids;
    }

    private Load start() {
        for (int i = 0; i < settings.clients; i++) {
            int client = i;
            Thread thread = new Thread(() -> run(client), "load-client-" + i);
            thread.setDaemon(true);
            clients.add(thread);
            thread.start();
        }
        return this;
    }

    private void run(int client) {
        long interval = 1_000_000_000L / settings.ratePerClient;
        long next = System.nanoTime();
        long sequence = 0;
        while (running && System.nanoTime() < deadlineNanos && sent.incrementAndGet() <= settings.maxRequests) {
            long now = System.nanoTime();
            if (next > now) {
                LockSupport.parkNanos(next - now);
            }
            next = Math.max(next + interval, System.nanoTime());
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String id = settings.prefix + "-" + random.nextInt(settings.items);
            if (random.nextDouble() < settings.writeRatio) {
                sequence++;
                put(id, "c" + client + "-" + sequence, (int) sequence);
            } else {
                get(id);
            }
        }
    }

    private void put(String id, String name, int quantity) {
        String body = JSON.createObjectNode().put("name", name).put("quantity", quantity).toString();
        HttpRequest request = HttpRequest.newBuilder(uri(id)).timeout(settings.requestTimeout)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = send("PUT", id, request);
        if (response != null && response.statusCode() / 100 == 2) {
            ledger.acknowledge(id, version(response.body()), name);
        }
    }

    private void get(String id) {
        send("GET", id, HttpRequest.newBuilder(uri(id)).timeout(settings.requestTimeout).GET().build());
    }

    private HttpResponse<String> send(String method, String id, HttpRequest request) {
        String tag = phase;
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            samples.add(new Sample(tag, method, id, response.statusCode(), start, System.nanoTime() - start,
                    response.headers().firstValue("X-Cache").orElse(""),
                    response.headers().firstValue("Retry-After").isPresent()));
            return response;
        } catch (IOException e) {
            samples.add(new Sample(tag, method, id, Sample.NO_RESPONSE, start, System.nanoTime() - start, "", false));
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return null;
        }
    }

    private URI uri(String id) {
        return URI.create("http://127.0.0.1:" + settings.port + "/items/" + id);
    }

    private static long version(String body) {
        try {
            JsonNode item = JSON.readTree(body);
            return item.get("version").asLong();
        } catch (IOException e) {
            throw new IllegalStateException("a 2xx PUT answered without an item: " + body, e);
        }
    }

    /** Settings for a {@link Load}; {@link #start()} builds and starts it. Not thread-safe. */
    public static final class Builder {

        private final int port;
        private int clients = 4;
        private String prefix = "chaos";
        private int items = 200;
        private double writeRatio = 0.5;
        private int ratePerClient = 50;
        private long maxRequests = 50_000;
        private Duration maxDuration = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Ledger ledger = new Ledger();

        private Builder(int port) {
            this.port = port;
        }

        /** Concurrent clients; default 4. */
        public Builder withClients(int clients) {
            this.clients = clients;
            return this;
        }

        /** Ids {@code <prefix>-0} to {@code <prefix>-(count-1)}; default 200 ids. */
        public Builder withItems(String prefix, int count) {
            this.prefix = prefix;
            this.items = count;
            return this;
        }

        /** Share of requests that are PUTs; default 0.5. */
        public Builder withWriteRatio(double writeRatio) {
            this.writeRatio = writeRatio;
            return this;
        }

        /** Requests a second per client at most; default 50. */
        public Builder withRatePerClient(int ratePerClient) {
            this.ratePerClient = ratePerClient;
            return this;
        }

        /** Stops after this many requests in all; default 50,000. */
        public Builder withMaxRequests(long maxRequests) {
            this.maxRequests = maxRequests;
            return this;
        }

        /** Stops after this long; default 60 s. */
        public Builder withMaxDuration(Duration maxDuration) {
            this.maxDuration = maxDuration;
            return this;
        }

        /** Gives up on one request after this long and records no response; default 10 s. */
        public Builder withRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Where acknowledged writes go; default a new one. */
        public Builder withLedger(Ledger ledger) {
            this.ledger = ledger;
            return this;
        }

        public Load start() {
            return new Load(this).start();
        }
    }
}
