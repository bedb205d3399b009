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
 * paced mix of {@code PUT}, {@code DELETE} and {@code GET /items/{id}} over a fixed set of ids, until
 * {@link #stop()}, the request cap or the time cap. Every request becomes a {@link Sample} tagged with the
 * current {@link #phase(String)}; every write attempt, whatever its answer, goes into the {@link Ledger}. Each
 * PUT sends a name no other request of this load sends ({@code c<client>-<n>}), so the ledger can tell which
 * request a row came from.
 *
 * <p>Defaults: 4 clients, 200 ids, 40% PUTs, 10% DELETEs, 50% GETs, 50 requests a second per client, at
 * most 60 s and 50,000 requests, 10 s per request. Pacing caps the rate, it does not wait for anything: a
 * client that falls behind sends its next request at once. Thread-safe.
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
            double pick = random.nextDouble();
            if (pick < settings.putRatio) {
                sequence++;
                put(id, "c" + client + "-" + sequence, (int) sequence);
            } else if (pick < settings.putRatio + settings.deleteRatio) {
                delete(id);
            } else {
                get(id);
            }
        }
    }

    /**
     * Sends one PUT of {@code name} (unique among this load's names for {@code id}) from the calling thread, and
     * records it like the load's own requests, in the ledger too.
     */
    public Sample putOnce(String id, String name) {
        return put(id, name, 1);
    }

    private Sample put(String id, String name, int quantity) {
        String body = JSON.createObjectNode().put("name", name).put("quantity", quantity).toString();
        HttpRequest request = HttpRequest.newBuilder(uri(id)).timeout(settings.requestTimeout)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        Answer answer = send("PUT", id, request);
        Sample sample = answer.sample();
        long version = sample.status() / 100 == 2 ? version(answer.body()) : 0;
        ledger.record(new Ledger.Attempt(id, "PUT", name, sample.status(), sample.message(), version,
                sample.startNanos(), sample.endNanos()));
        return sample;
    }

    private void delete(String id) {
        Sample sample = send("DELETE", id, HttpRequest.newBuilder(uri(id)).timeout(settings.requestTimeout).DELETE().build())
                .sample();
        ledger.record(new Ledger.Attempt(id, "DELETE", "", sample.status(), sample.message(), 0,
                sample.startNanos(), sample.endNanos()));
    }

    private void get(String id) {
        send("GET", id, HttpRequest.newBuilder(uri(id)).timeout(settings.requestTimeout).GET().build());
    }

    /** A request's sample and the body that came with it (empty when none came). */
    private record Answer(Sample sample, String body) {
    }

    /** Sends one request and records its sample (unless interrupted). */
    private Answer send(String method, String id, HttpRequest request) {
        String tag = phase;
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            long latency = System.nanoTime() - start;
            boolean success = response.statusCode() / 100 == 2;
            Sample sample = new Sample(tag, method, id, response.statusCode(), start, latency,
                    response.headers().firstValue("X-Cache").orElse(""),
                    response.headers().firstValue("Retry-After").isPresent(), success ? "" : message(response.body()));
            samples.add(sample);
            return new Answer(sample, response.body());
        } catch (IOException e) {
            Sample sample = new Sample(tag, method, id, Sample.NO_RESPONSE, start, System.nanoTime() - start, "", false, "");
            samples.add(sample);
            return new Answer(sample, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            // Not a sample (the load was stopped, nothing failed), but a write sent may have been applied.
            return new Answer(new Sample(tag, method, id, Sample.NO_RESPONSE, start, System.nanoTime() - start, "",
                    false, ""), "");
        }
    }

    /** The {@code message} of an error body, else the body itself. */
    private static String message(String body) {
        try {
            JsonNode error = JSON.readTree(body);
            return error != null && error.hasNonNull("message") ? error.get("message").asText() : body;
        } catch (IOException e) {
            return body;
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
        private double putRatio = 0.4;
        private double deleteRatio = 0.1;
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

        /** Ids {@code <prefix>-0} to {@code <prefix>-(count-1)}, keeping the prefix. */
        public Builder withItemCount(int count) {
            this.items = count;
            return this;
        }

        /** Shares of requests that are PUTs and DELETEs (the rest are GETs); default 0.4 and 0.1. */
        public Builder withWrites(double putRatio, double deleteRatio) {
            if (putRatio < 0 || deleteRatio < 0 || putRatio + deleteRatio > 1) {
                throw new IllegalArgumentException("shares of PUTs and DELETEs must be 0 or more and add up to 1 at most, got "
                        + putRatio + " and " + deleteRatio);
            }
            this.putRatio = putRatio;
            this.deleteRatio = deleteRatio;
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

        /** Where write attempts go; default a new one. */
        public Builder withLedger(Ledger ledger) {
            this.ledger = ledger;
            return this;
        }

        public Load start() {
            return new Load(this).start();
        }
    }
}
