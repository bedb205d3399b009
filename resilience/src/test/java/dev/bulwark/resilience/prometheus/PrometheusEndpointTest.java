package dev.bulwark.resilience.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.TestDependencies;
import dev.bulwark.resilience.testing.PrometheusScrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class PrometheusEndpointTest {

    @Test
    void shouldReportReadinessAsOneOrZeroAlongsideTheResilienceAndDropwizardFamilies() {
        // Given a registry filled as the bundle fills it, with the application ready
        PrometheusRegistry prometheus = new PrometheusRegistry();
        MetricRegistry dropwizard = new MetricRegistry();
        dropwizard.register("jvm.threads.runnable.count", (Gauge<Integer>) () -> 3);
        Resilient redis = TestDependencies.fast("redis").build();
        AtomicBoolean ready = new AtomicBoolean(true);
        PrometheusEndpoint.register(prometheus, TestDependencies.registry(redis), new DropwizardBridge(dropwizard),
                ready::get);

        // When it is scraped ready, and then not ready
        PrometheusScrape whenReady = PrometheusScrape.of(prometheus);
        ready.set(false);
        PrometheusScrape whenNot = PrometheusScrape.of(prometheus);

        // Then bulwark_ready follows readiness, next to the other families
        assertThat(whenReady.value("bulwark_ready")).isEqualTo(1);
        assertThat(whenNot.value("bulwark_ready")).isZero();
        assertThat(whenNot.value("bulwark_circuitbreaker_state", "name", "redis", "state", "closed")).isEqualTo(1);
        assertThat(whenNot.value("dropwizard_jvm_threads_runnable_count_value")).isEqualTo(3);
    }
}
