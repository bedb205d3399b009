package dev.bulwark.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import eu.rekawek.toxiproxy.Proxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service's {@code /metrics/prometheus} as a real Prometheus sees it: it scrapes the in-process service
 * ({@link ChaosApp#create()}, shrunk timings) every second through a database outage injected with the
 * {@code database} proxy (and the {@code redis} one, so that readiness fails too), and its query API must show the
 * breaker open and {@code bulwark_ready} 0 during the outage, closed and 1 after, and the
 * opening counted; {@code promtool check metrics} must find nothing wrong with a scrape; and every metric the
 * Grafana dashboard and the alert rules query ({@link MetricNames}) must be in it. Skipped when there is no
 * {@code prometheus} binary (on the PATH or in /usr/bin; Debian's {@code prometheus} package has both it and
 * {@code promtool}).
 */
class PrometheusScrapeIT {

    private static final ChaosEnvironment ENV = ChaosEnvironment.shared();
    private static final String PATH = "/metrics/prometheus";
    private static final Path DEPLOY = Path.of("..", "deploy");
    /** Wide enough for the whole class: what happened during the outage is still in it at the end. */
    private static final String WINDOW = "[10m]";
    private static final String OPEN = "bulwark_circuitbreaker_state{name=\"database\",state=\"open\"}";

    @RegisterExtension
    static final ChaosApp APP = ChaosApp.create();

    private static RealPrometheus prometheus;

    @BeforeAll
    static void startPrometheus() throws IOException {
        Path binary = RealPrometheus.binary("prometheus").orElse(null);
        Assumptions.assumeTrue(binary != null,
                "no prometheus binary on the PATH or in /usr/bin: install Debian's prometheus package to run this test");
        prometheus = RealPrometheus.start(binary, APP.adminPort(), PATH);
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @BeforeEach
    void startFromAHealthyDatabase() {
        ENV.reset();
        APP.resetAndAwaitReady();
    }

    @Test
    void shouldShowTheBreakerOpenDuringADatabaseOutageAndClosedAfterInARealPrometheus() throws IOException {
        // Given Prometheus scrapes the service and sees the database breaker closed
        await("first scrapes").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(value("up{job=\"bulwark\"}")).as(prometheus.log()).isEqualTo(1);
            assertThat(value(OPEN)).isZero();
        });
        double opensBefore = value("sum(bulwark_circuitbreaker_transitions_total{name=\"database\",to=\"open\"})");

        // When the database is unreachable until writes open the breaker and Prometheus has scraped it open, and
        // Redis too (readiness changed deliberately in issue 14: it fails only when neither can be reached)
        Proxy database = ENV.database();
        Proxy redis = ENV.redis();
        try {
            database.disable();
            redis.disable();
            await("breaker open").atMost(Duration.ofSeconds(30)).until(() -> {
                APP.put("/items/prom-" + UUID.randomUUID(), "outage", 1);
                return APP.breakerState("database").equals("OPEN");
            });
            await("outage scraped").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        assertThat(value(OPEN)).isEqualTo(1);
                        assertThat(value("bulwark_ready")).isZero();
                    });
        } finally {
            enable(redis);
            enable(database);
        }

        // Then once they are back the service recovers, and Prometheus sees the breaker closed again
        await("recovery").atMost(Duration.ofSeconds(15)).until(() -> APP.breakerState("database").equals("CLOSED")
                && APP.readiness() == 200);
        await("recovery scraped").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(value(OPEN)).isZero();
                    assertThat(value("bulwark_ready")).isEqualTo(1);
                });
        // And its history keeps the outage and the opening it counted
        assertThat(value("max_over_time(" + OPEN + WINDOW + ")")).isEqualTo(1);
        assertThat(value("min_over_time(bulwark_ready" + WINDOW + ")")).isZero();
        assertThat(value("sum(bulwark_circuitbreaker_transitions_total{name=\"database\",to=\"open\"})"))
                .isGreaterThanOrEqualTo(opensBefore + 1);
        assertThat(value("sum(bulwark_circuitbreaker_transitions_total{name=\"database\",from=\"open\",to=\"closed\"})"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldPassPromtoolCheckMetricsOnAScrapeOfTheService() throws IOException, InterruptedException {
        Path promtool = RealPrometheus.binary("promtool").orElse(null);
        Assumptions.assumeTrue(promtool != null, "no promtool next to prometheus on the PATH or in /usr/bin");
        // Given a scrape after some traffic
        String path = "/items/promtool-" + UUID.randomUUID();
        APP.put(path, "lint", 1);
        APP.get(path);
        HttpResponse<String> scrape = APP.admin("GET", PATH);
        assertThat(scrape.statusCode()).isEqualTo(200);

        // When promtool checks it
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream stdin = check.getOutputStream()) {
            stdin.write(scrape.body().getBytes(StandardCharsets.UTF_8));
        }
        String output;
        try (InputStream out = check.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        boolean exited = check.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            check.destroyForcibly();
        }

        // Then it passes without a single complaint
        assertThat(exited).as("promtool finished").isTrue();
        assertThat(output).as("promtool output").isBlank();
        assertThat(check.exitValue()).as("promtool exit code; output: %s", output).isZero();
    }

    @Test
    void shouldHaveEveryMetricTheDashboardAndTheAlertRulesQueryInARealPrometheus() throws IOException {
        // Given every metric name a panel of the Grafana dashboard or an alert rule selects
        Set<String> queried = MetricNames.queriedBy(DEPLOY.resolve("grafana/dashboards/bulwark.json"),
                DEPLOY.resolve("prometheus/alerts.yml"));
        assertThat(queried).as("names read from the dashboard and the rules").hasSizeGreaterThan(10);
        APP.get("/items/names-" + UUID.randomUUID());

        // Then Prometheus, scraping the service, has series of each: a renamed metric fails here
        await("every queried metric scraped").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(queried)
                        .filteredOn(name -> prometheus.query("count({__name__=\"" + name + "\"})").isEmpty())
                        .as("queried by deploy/grafana or deploy/prometheus/alerts.yml but not in Prometheus")
                        .isEmpty());
        // And each is in a scrape of the service itself, but for the series Prometheus makes per target
        Set<String> scraped = MetricNames.exposedIn(APP.admin("GET", PATH).body());
        assertThat(queried).filteredOn(name -> !MetricNames.PROMETHEUS_OWN.contains(name))
                .as("queried but not in a scrape of %s", PATH).isSubsetOf(scraped);
    }

    private static double value(String promql) {
        OptionalDouble value = prometheus.query(promql);
        assertThat(value).as("a value for %s", promql).isPresent();
        return value.getAsDouble();
    }

    private static void enable(Proxy proxy) {
        try {
            proxy.enable();
        } catch (IOException e) {
            throw new IllegalStateException("could not re-enable the proxy " + proxy.getName(), e);
        }
    }
}
