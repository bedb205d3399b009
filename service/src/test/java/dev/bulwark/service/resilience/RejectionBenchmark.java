package dev.bulwark.service.resilience;

import dev.bulwark.resilience.DependencyUnavailableException;
import dev.bulwark.resilience.Resilient;
import dev.bulwark.service.BulwarkApplication;
import dev.bulwark.service.BulwarkConfiguration;
import dev.bulwark.service.testing.TestApp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import io.dropwizard.core.setup.Environment;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How long a request takes to be refused while the database breaker is open. A benchmark, not a test:
 * it prints figures and asserts nothing, and runs only when named:
 * {@code mvn -B -pl service -am verify -Dtest=RejectionBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}.
 * Figures are recorded in docs/benchmarks.md.
 */
class RejectionBenchmark {

    private static final int WARM_UP = 5_000;
    private static final int MEASURED = 20_000;

    @RegisterExtension
    static final TestApp APP = TestApp.create(TimedApplication.class, Map.of(
            "resilience.dependencies.database.circuitReset", "3600s",
            "logging.level", "ERROR"));

    @Test
    void measureRejection() {
        System.out.printf("breaker rejection in process: %.2f µs/call%n", inProcessMicros());

        APP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.extension().getAdminPort()
                + "/tasks/circuit-breaker?name=database&action=open")).POST(HttpRequest.BodyPublishers.noBody()));
        measure("GET /items/bench (Redis lookup first, then the open database breaker)", () -> APP.get("/items/bench"));
        measure("PUT /items/bench (straight to the open database breaker)",
                () -> APP.putJson("/items/bench", "{\"name\":\"b\",\"quantity\":1}"));
    }

    private static void measure(String what, Supplier<HttpResponse<String>> request) {
        for (int i = 0; i < WARM_UP; i++) {
            expect503(request.get());
        }
        TimedApplication.NANOS.clear();
        long[] nanos = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            long start = System.nanoTime();
            expect503(request.get());
            nanos[i] = System.nanoTime() - start;
        }
        long[] server = TimedApplication.NANOS.stream().mapToLong(Long::longValue).toArray();
        System.out.println(what + ", " + MEASURED + " requests from one client:");
        System.out.println("  server side (Jersey's first request filter to its last response filter): " + percentiles(server));
        System.out.println("  end to end over loopback HTTP, client included: " + percentiles(nanos));
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return String.format("p50 %.0f µs, p99 %.0f µs, p999 %.0f µs", sorted[n / 2] / 1e3, sorted[n * 99 / 100] / 1e3,
                sorted[n * 999 / 1000] / 1e3);
    }

    private static double inProcessMicros() {
        Resilient db = Resilient.builder("database").withCircuitBreaker(1, Duration.ofHours(1)).build();
        db.openBreaker();
        int calls = 1_000_000;
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                try {
                    db.call(() -> 1);
                } catch (DependencyUnavailableException expected) {
                    // the point of the exercise
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            if (round == 1) {
                return (System.nanoTime() - start) / 1e3 / calls;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** The application plus a filter pair that records how long Jersey spent on each request. */
    public static final class TimedApplication extends BulwarkApplication {
        static final Queue<Long> NANOS = new ConcurrentLinkedQueue<>();

        @Override
        public void run(BulwarkConfiguration config, Environment environment) throws Exception {
            super.run(config, environment);
            environment.jersey().register(new Timing());
        }
    }

    /** Outermost filters: the request one runs first, the response one last. */
    @PreMatching
    @Priority(Integer.MIN_VALUE)
    private static final class Timing implements ContainerRequestFilter, ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            request.setProperty("start", System.nanoTime());
        }

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            Object start = request.getProperty("start");
            if (start != null) {
                TimedApplication.NANOS.add(System.nanoTime() - (Long) start);
            }
        }
    }

    private static void expect503(HttpResponse<String> response) {
        if (response.statusCode() != 503 || response.headers().firstValue("Retry-After").isEmpty()) {
            throw new IllegalStateException("expected a 503 with Retry-After, got " + response.statusCode());
        }
    }
}
