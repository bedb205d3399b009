package dev.bulwark.chaos.report;

import static dev.bulwark.chaos.report.TimelineTest.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.chaos.ResiliencyMatrix;
import dev.bulwark.chaos.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaosReportTest {

    private static final long ORIGIN = 1_000_000_000_000L;
    private static final Pattern IMG = Pattern.compile("<img src=\"([^\"]+)\"");

    @TempDir
    Path target;

    @Test
    void shouldShowEveryMatrixRowInTheIndex() throws IOException {
        // Given two rows in the matrix
        ResiliencyMatrix matrix = matrix();
        matrix.record(row("database", "restart: stopped 5 s", "fast-fail: 120 × 503", 812L, "database restart"));
        matrix.record(row("redis", "outage 3 s", "degraded: all served", null, "redis outage"));

        // When the index is written
        ChaosReport report = report(matrix);
        report.writeIndex();

        // Then it has both rows with their figures
        String html = Files.readString(report.indexFile());
        assertThat(html).contains("<td>database</td><td>restart: stopped 5 s</td><td>fast-fail</td>"
                + "<td>fast-fail: 120 × 503</td><td class=\"n\">812</td>");
        assertThat(html).contains("<td>redis</td><td>outage 3 s</td><td>degraded</td>");
        assertThat(html).contains("<td>200: 90, 503: 10</td>");
        assertThat(html.split("<tr>", -1)).as("a header and two rows").hasSize(4);
    }

    @Test
    void shouldEscapeTheScenariosText() throws IOException {
        // Given a row and a scenario whose text looks like markup
        ResiliencyMatrix matrix = matrix();
        matrix.record(row("database", "<b>cut</b> & \"paste\"", "served <script>alert('x')</script>", null,
                "a <scenario>"));
        ChaosReport report = report(matrix);

        // When its chart and the index are written
        report.addScenario(timeline("a <scenario>"));

        // Then none of it is markup
        String html = Files.readString(report.indexFile());
        assertThat(html).doesNotContain("<b>cut", "<script>", "<scenario>");
        assertThat(html).contains("&lt;b&gt;cut&lt;/b&gt; &amp; &quot;paste&quot;",
                "served &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "<h3>a &lt;scenario&gt;</h3>");
    }

    @Test
    void shouldShowOneImagePerScenarioWhoseChartIsOnDisk() throws IOException {
        // Given three scenarios with rows, charts drawn for two, one of which is gone again
        ResiliencyMatrix matrix = matrix();
        matrix.record(row("database", "restart", "fast-fail", 900L, "database restart"));
        matrix.record(row("database", "latency 300 ms", "available", null, "latency"));
        matrix.record(row("redis", "outage", "degraded", null, "redis outage"));
        ChaosReport report = report(matrix);
        report.addScenario(timeline("database restart"));
        report.addScenario(timeline("latency"));
        Files.delete(report.chartFile("latency"));

        // When the index is written
        report.writeIndex();

        // Then it shows one image, the one on disk, beside its row
        String html = Files.readString(report.indexFile());
        assertThat(images(html)).containsExactly("database-restart.png");
        assertThat(report.indexFile().resolveSibling("database-restart.png")).exists();
        assertThat(html).contains("<h3>database restart</h3>\n<p>database × restart</p>");
        assertThat(html).doesNotContain("Charts without a matrix row");
    }

    @Test
    void shouldListAChartWhoseScenarioRecordedNoRowApart() throws IOException {
        // Given a chart of a scenario with no row (it failed before recording one)
        ResiliencyMatrix matrix = matrix();
        matrix.record(row("database", "restart", "fast-fail", 900L, "database restart"));
        ChaosReport report = report(matrix);

        // When its chart is added
        report.addScenario(timeline("flapping warm-up"));

        // Then the index shows it under its own heading
        String html = Files.readString(report.indexFile());
        assertThat(images(html)).containsExactly("flapping-warm-up.png");
        assertThat(html.indexOf("Charts without a matrix row")).isPositive().isLessThan(html.indexOf("flapping-warm-up.png"));
    }

    @Test
    void shouldKeepTheChartsOfEarlierScenariosWhenAnotherIsAdded() throws IOException {
        // Given a report written by one JVM
        ResiliencyMatrix matrix = matrix();
        matrix.record(row("database", "restart", "fast-fail", 900L, "database restart"));
        matrix.record(row("redis", "outage", "degraded", null, "redis outage"));
        report(matrix).addScenario(timeline("database restart"));

        // When another report object on the same directory (another JVM) adds its scenario
        ChaosReport later = report(matrix);
        later.addScenario(timeline("redis outage"));

        // Then the index shows both, in the matrix's order
        assertThat(images(Files.readString(later.indexFile())))
                .containsExactly("database-restart.png", "redis-outage.png");
    }

    @Test
    void shouldNameFilesAfterTheScenario() {
        assertThat(ChaosReport.fileName("Database restart")).isEqualTo("database-restart");
        assertThat(ChaosReport.fileName("flapping (300 ms)")).isEqualTo("flapping-300-ms");
        assertThat(ChaosReport.fileName("<>")).isEqualTo("scenario");
    }

    private ResiliencyMatrix matrix() {
        return ResiliencyMatrix.inDirectory(target.toString());
    }

    private ChaosReport report(ResiliencyMatrix matrix) {
        return ChaosReport.inDirectory(target.resolve("chaos-report"), matrix.jsonFile());
    }

    private static List<String> images(String html) {
        Matcher matcher = IMG.matcher(html);
        List<String> images = new java.util.ArrayList<>();
        while (matcher.find()) {
            images.add(matcher.group(1));
        }
        return images;
    }

    private static ResiliencyMatrix.Row row(String dependency, String fault, String observed, Long recovery,
                                            String scenario) {
        TreeMap<Integer, Long> byStatus = new TreeMap<>();
        byStatus.put(200, 90L);
        byStatus.put(503, 10L);
        ResiliencyMatrix.Expected expected = observed.startsWith("fast-fail") ? ResiliencyMatrix.Expected.FAST_FAIL
                : observed.startsWith("degraded") ? ResiliencyMatrix.Expected.DEGRADED : ResiliencyMatrix.Expected.AVAILABLE;
        return new ResiliencyMatrix.Row(dependency, fault, expected, observed, recovery, null, 100, byStatus, 0, 0, 0,
                scenario);
    }

    static Timeline timeline(String scenario) {
        List<Sample> samples = List.of(sample("GET", 200, 10, 3), sample("GET", 503, 400, 1));
        return Timeline.of(scenario, samples, ORIGIN, ORIGIN + 1_000_000_000L, ORIGIN + 300_000_000L,
                ORIGIN + 600_000_000L, new BreakerLog());
    }
}
