package dev.bulwark.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What {@link MetricNames} reads out of PromQL and scrapes; {@code PrometheusScrapeIT} checks the real files against a real scrape. */
class MetricNamesTest {

    private static final Path DEPLOY = Path.of("..", "deploy");

    @Test
    void shouldFindTheMetricsOfAnExpressionButNotItsFunctionsLabelsOrVariables() {
        String promql = "histogram_quantile(0.99, sum by (le, instance) "
                + "(rate(bulwark_call_duration_seconds_bucket{name=\"$dependency\",kind!~\"a|b\"}[$__rate_interval])))"
                + " / on (instance) group_left (job) max without (state) (2 * bulwark_circuitbreaker_state offset 5m)"
                + " > bool 0.5 or up{job=\"bulwark\"} == 0 unless vector(1)";

        assertThat(MetricNames.inExpression(promql)).containsExactly(
                "bulwark_call_duration_seconds_bucket", "bulwark_circuitbreaker_state", "up");
    }

    @Test
    void shouldIgnoreWhatAQuotedLabelValueLooksLike() {
        assertThat(MetricNames.inExpression("sum(rate(bulwark_cache_requests_total{result=\"hit {x} rate(y)\"}[5m]))"))
                .containsExactly("bulwark_cache_requests_total");
    }

    @Test
    void shouldTakeOnlyTheMetricOfAGrafanaLabelValuesQuery() {
        assertThat(MetricNames.inTemplateQuery("label_values(bulwark_circuitbreaker_state, name)"))
                .containsExactly("bulwark_circuitbreaker_state");
    }

    @Test
    void shouldListTheSampleNamesOfAScrapeWithoutItsCommentLines() {
        String scrape = """
                # HELP bulwark_probe_total Probes of an open breaker.
                # TYPE bulwark_probe_total counter
                bulwark_probe_total{name="database",outcome="success"} 3.0
                bulwark_ready 1.0
                bulwark_call_duration_seconds_bucket{name="redis",le="0.005"} 7
                """;

        assertThat(MetricNames.exposedIn(scrape))
                .containsExactly("bulwark_call_duration_seconds_bucket", "bulwark_probe_total", "bulwark_ready");
    }

    @Test
    void shouldReadEveryQueryOfTheDashboardAndTheAlertRules() throws IOException {
        var names = MetricNames.queriedBy(DEPLOY.resolve("grafana/dashboards/bulwark.json"),
                DEPLOY.resolve("prometheus/alerts.yml"));

        assertThat(names).contains(
                "bulwark_circuitbreaker_state", "bulwark_circuitbreaker_transitions_total",
                "bulwark_circuitbreaker_not_permitted_calls_total", "bulwark_retry_calls_total",
                "bulwark_retry_budget_remaining", "bulwark_concurrency_limit", "bulwark_concurrency_inflight",
                "bulwark_concurrency_rejected_total", "bulwark_probe_total", "bulwark_call_duration_seconds_bucket",
                "bulwark_cache_requests_total", "bulwark_ready", "up");
        assertThat(names).allMatch(name -> name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*"))
                .doesNotContain("name", "state", "le", "instance", "sum", "rate", "dependency");
    }
}
