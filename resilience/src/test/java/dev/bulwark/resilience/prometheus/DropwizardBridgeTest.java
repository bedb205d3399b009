package dev.bulwark.resilience.prometheus;

import dev.bulwark.resilience.testing.PrometheusScrape;
import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DropwizardBridgeTest {

    private final MetricRegistry dropwizard = new MetricRegistry();
    private final PrometheusRegistry prometheus = new PrometheusRegistry();

    @Test
    void shouldExposeNumericGaugesCountersMetersTimersAndHistogramsUnderSanitisedNames() {
        // Given every kind of Dropwizard metric, named as Dropwizard and Jetty name them
        dropwizard.register("jvm.memory.heap.used", (Gauge<Long>) () -> 42L);
        dropwizard.register("jvm.attribute.vendor", (Gauge<String>) () -> "not a number");
        dropwizard.counter("io.dropwizard.jetty.MutableServletContextHandler.active-requests").inc(3);
        dropwizard.meter("io.dropwizard.jetty.MutableServletContextHandler.5xx-responses").mark(2);
        dropwizard.timer("io.dropwizard.jetty.MutableServletContextHandler.get-requests")
                .update(250, TimeUnit.MILLISECONDS);
        dropwizard.histogram("resilience.database.batchSize").update(7);
        prometheus.register(new DropwizardBridge(dropwizard));

        // When it is scraped
        PrometheusScrape scrape = PrometheusScrape.of(prometheus);

        // Then each is there, in snake case without its Java package, timers in seconds, meters as counters
        assertThat(scrape.value("dropwizard_jvm_memory_heap_used")).isEqualTo(42);
        assertThat(scrape.text()).doesNotContain("vendor");
        assertThat(scrape.value("dropwizard_mutable_servlet_context_handler_active_requests")).isEqualTo(3);
        assertThat(scrape.value("dropwizard_mutable_servlet_context_handler_5xx_responses_total")).isEqualTo(2);
        assertThat(scrape.value("dropwizard_mutable_servlet_context_handler_get_requests_seconds_count")).isEqualTo(1);
        assertThat(scrape.value("dropwizard_mutable_servlet_context_handler_get_requests_seconds", "quantile", "0.99"))
                .isEqualTo(0.25);
        assertThat(scrape.value("dropwizard_resilience_database_batch_size", "quantile", "0.5")).isEqualTo(7);
        assertThat(scrape.text()).contains("# TYPE dropwizard_mutable_servlet_context_handler_5xx_responses_total counter",
                "# TYPE dropwizard_mutable_servlet_context_handler_get_requests_seconds summary",
                "# TYPE dropwizard_mutable_servlet_context_handler_active_requests gauge");
    }

    @Test
    void shouldRenameAGaugeWhoseNameEndsLikeACounterOrASummaryPart() {
        // Given gauges Dropwizard names .count and .total
        dropwizard.register("jvm.threads.count", (Gauge<Integer>) () -> 12);
        dropwizard.register("jvm.memory.total.used", (Gauge<Long>) () -> 5L);
        prometheus.register(new DropwizardBridge(dropwizard));

        // When it is scraped, Then the .count gauge gets a suffix no scraper reads as a summary's count
        PrometheusScrape scrape = PrometheusScrape.of(prometheus);
        assertThat(scrape.value("dropwizard_jvm_threads_count_value")).isEqualTo(12);
        assertThat(scrape.value("dropwizard_jvm_memory_total_used")).isEqualTo(5);
    }

    @Test
    void shouldKeepOneOfTwoMetricsWhoseNamesSanitiseAlike() {
        // Given two Dropwizard names that differ only in punctuation
        dropwizard.register("pool.size", (Gauge<Integer>) () -> 1);
        dropwizard.register("pool-size", (Gauge<Integer>) () -> 2);
        prometheus.register(new DropwizardBridge(dropwizard));

        // When it is scraped, Then the scrape works and has one series of that name
        assertThat(PrometheusScrape.of(prometheus).named("dropwizard_pool_size")).hasSize(1);
    }

    @Test
    void shouldSkipAGaugeThatFailsInsteadOfFailingTheScrape() {
        dropwizard.register("pool.closed", (Gauge<Integer>) () -> {
            throw new IllegalStateException("pool closed");
        });
        dropwizard.register("pool.open", (Gauge<Integer>) () -> 4);
        prometheus.register(new DropwizardBridge(dropwizard));

        PrometheusScrape scrape = PrometheusScrape.of(prometheus);

        assertThat(scrape.value("dropwizard_pool_open")).isEqualTo(4);
        assertThat(scrape.named("dropwizard_pool_closed")).isEmpty();
    }

    @Test
    void shouldNameDropwizardMetricsInSnakeCaseWithoutTheirJavaPackage() {
        assertThat(DropwizardBridge.name("org.eclipse.jetty.util.thread.QueuedThreadPool.dw.utilization"))
                .isEqualTo("dropwizard_queued_thread_pool_dw_utilization");
        assertThat(DropwizardBridge.name("jvm.gc.G1-Young-Generation.time")).isEqualTo("dropwizard_jvm_gc_g1_young_generation_time");
        assertThat(DropwizardBridge.name("resilience.database.retryBudgetRemaining"))
                .isEqualTo("dropwizard_resilience_database_retry_budget_remaining");
        assertThat(DropwizardBridge.name("HTTPConnection.open")).isEqualTo("dropwizard_http_connection_open");
    }
}
