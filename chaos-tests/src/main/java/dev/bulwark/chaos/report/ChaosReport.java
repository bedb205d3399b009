package dev.bulwark.chaos.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chaos report, a directory to open in a browser: {@code index.html} with the resiliency matrix (read
 * from its {@code resiliency-matrix.json}) and, per scenario, the chart of its {@link Timeline}. Each scenario
 * leaves {@code <name>.png} and {@code <name>.json} (what the index says about the chart) in the directory,
 * and the index is written again from the matrix file and every chart there each time a scenario or a row is
 * added: it is complete after the last scenario, whichever order they ran in and whether they shared a JVM,
 * with nothing to run afterwards. Text from scenarios is HTML-escaped. Thread-safe within one JVM.
 */
public final class ChaosReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Path matrixJson;

    private ChaosReport(Path directory, Path matrixJson) {
        this.directory = directory;
        this.matrixJson = matrixJson;
    }

    /** A report written to {@code directory} (created if missing), its table from {@code matrixJson}. */
    public static ChaosReport inDirectory(Path directory, Path matrixJson) {
        return new ChaosReport(directory, matrixJson);
    }

    public Path indexFile() {
        return directory.resolve("index.html");
    }

    /** Where the chart of {@code scenario} goes. */
    public Path chartFile(String scenario) {
        return directory.resolve(fileName(scenario) + ".png");
    }

    /** Draws {@code timeline}'s chart (replacing one of the same scenario) and writes the index again. */
    public synchronized void addScenario(Timeline timeline) {
        try {
            TimelineChart.writePng(timeline, chartFile(timeline.scenario()));
            ObjectNode about = JSON.createObjectNode()
                    .put("scenario", timeline.scenario())
                    .put("image", chartFile(timeline.scenario()).getFileName().toString())
                    .put("bucketMillis", timeline.bucketMillis())
                    .put("durationSeconds", timeline.durationSeconds());
            if (timeline.fault() != null) {
                about.put("faultStartSeconds", timeline.fault().startSeconds())
                        .put("faultEndSeconds", timeline.fault().endSeconds());
            }
            Files.writeString(directory.resolve(fileName(timeline.scenario()) + ".json"), about.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the chart of " + timeline.scenario() + " to " + directory, e);
        }
        writeIndex();
    }

    /** Writes {@code index.html} from the matrix file and the charts in the directory. */
    public synchronized void writeIndex() {
        try {
            Files.createDirectories(directory);
            Files.writeString(indexFile(), html(matrixRows(), charts()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the chaos report to " + directory, e);
        }
    }

    /** A file name for {@code scenario}: lower case letters and digits, the rest as dashes. */
    static String fileName(String scenario) {
        String name = scenario.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return name.isEmpty() ? "scenario" : name;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private List<JsonNode> matrixRows() throws IOException {
        if (!Files.exists(matrixJson)) {
            return List.of();
        }
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(matrixJson.toFile()).path("rows").forEach(rows::add);
        return rows;
    }

    /** What each chart's {@code .json} says, by scenario, for the charts whose PNG is there. */
    private Map<String, JsonNode> charts() throws IOException {
        Map<String, JsonNode> charts = new LinkedHashMap<>();
        if (!Files.isDirectory(directory)) {
            return charts;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".json")).sorted().toList()) {
                JsonNode about = JSON.readTree(file.toFile());
                if (about.hasNonNull("scenario") && about.hasNonNull("image")
                        && Files.exists(directory.resolve(about.get("image").asText()))) {
                    charts.put(about.get("scenario").asText(), about);
                }
            }
        }
        return charts;
    }

    static String html(List<JsonNode> rows, Map<String, JsonNode> charts) {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>Bulwark chaos report</title>
                <style>
                body { font-family: sans-serif; margin: 1.5em; color: #222; }
                table { border-collapse: collapse; font-size: 13px; }
                th, td { border: 1px solid #ccc; padding: 4px 6px; vertical-align: top; }
                th { background: #f3f3f3; }
                td.n { text-align: right; }
                section { margin-top: 2em; }
                img { border: 1px solid #ddd; }
                </style>
                </head>
                <body>
                <h1>Bulwark chaos report</h1>
                <p>From the chaos suite (<code>mvn -B -pl chaos-tests -am verify</code>). The table is
                <code>resiliency-matrix.json</code>; each chart shows one scenario against time: requests a second
                by outcome, p50 and p99 latency, the fault's window shaded and each breaker's state.</p>
                <h2>Resiliency matrix</h2>
                <table>
                <tr><th>Dependency</th><th>Fault</th><th>Expected</th><th>Observed</th><th>Recovery (ms)</th>\
                <th>Goodput ratio</th><th>Requests</th><th>Responses</th><th>Lost</th><th>Non-2xx written</th>\
                <th>Indeterminate</th><th>Scenario</th></tr>
                """);
        for (JsonNode row : rows) {
            html.append("<tr>")
                    .append(cell(row.path("dependency").asText()))
                    .append(cell(row.path("fault").asText()))
                    .append(cell(row.path("expected").asText()))
                    .append(cell(row.path("observed").asText()))
                    .append(number(row.path("recoveryMillis").isNull() ? "–" : row.path("recoveryMillis").asText()))
                    .append(number(row.path("goodputRatio").isNull() ? "–"
                            : String.format(Locale.ROOT, "%.2f", row.path("goodputRatio").asDouble())))
                    .append(number(row.path("requests").asText()))
                    .append(cell(responses(row.path("responses"))))
                    .append(number(row.path("lostWrites").asText()))
                    .append(number(row.path("writtenDespiteRefusal").asText()))
                    .append(number(row.path("indeterminateWrites").asText()))
                    .append(cell(row.path("scenario").asText()))
                    .append("</tr>\n");
        }
        html.append("</table>\n");
        Map<String, JsonNode> left = new LinkedHashMap<>(charts);
        for (JsonNode row : rows) {
            JsonNode chart = left.remove(row.path("scenario").asText());
            if (chart != null) {
                html.append(section(chart, row.path("dependency").asText() + " × " + row.path("fault").asText()));
            }
        }
        if (!left.isEmpty()) {
            html.append("<h2>Charts without a matrix row</h2>\n<p>Their scenario recorded no row in this run: it failed "
                    + "before its closing call, does not add one, or the chart is from an earlier run.</p>\n");
            left.values().forEach(chart -> html.append(section(chart, null)));
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static String section(JsonNode chart, String row) {
        String scenario = chart.path("scenario").asText();
        StringBuilder section = new StringBuilder("<section>\n<h3>").append(escape(scenario)).append("</h3>\n");
        if (row != null) {
            section.append("<p>").append(escape(row)).append("</p>\n");
        }
        return section.append("<img src=\"").append(escape(chart.path("image").asText())).append("\" alt=\"")
                .append(escape(scenario)).append(" against time\" width=\"").append(TimelineChart.WIDTH)
                .append("\" height=\"").append(TimelineChart.HEIGHT).append("\">\n</section>\n").toString();
    }

    private static String responses(JsonNode responses) {
        List<String> parts = new ArrayList<>();
        responses.fields().forEachRemaining(entry -> parts.add(entry.getKey() + ": " + entry.getValue().asText()));
        return parts.isEmpty() ? "–" : String.join(", ", parts);
    }

    private static String cell(String text) {
        return "<td>" + escape(text) + "</td>";
    }

    private static String number(String text) {
        return "<td class=\"n\">" + escape(text) + "</td>";
    }
}
