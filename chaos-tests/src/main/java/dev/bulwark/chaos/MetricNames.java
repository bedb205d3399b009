package dev.bulwark.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names the operators' files query and the names a scrape exposes, so a test can check that every
 * panel of the Grafana dashboard and every alert rule still selects a metric the service exposes: a renamed
 * metric otherwise leaves an empty panel and an alert that can never fire, silently. Stateless; thread-safe.
 */
public final class MetricNames {

    /** Series Prometheus makes itself for each scrape target: queried, but never in a scrape. */
    public static final Set<String> PROMETHEUS_OWN = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");

    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    // Not the unit of a number or duration ("5m", "1e3").
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![0-9a-zA-Z_:.])[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
            "offset", "inf", "nan", "atan2");
    /** Grafana's template query {@code label_values(metric, label)}: only its first argument is a metric. */
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
    private static final Pattern SAMPLE_NAME = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);

    private MetricNames() {
    }

    /** Every metric name selected by a query of the Grafana dashboard JSON or an {@code expr} of the alert rules YAML. */
    public static Set<String> queriedBy(Path dashboard, Path alertRules) throws IOException {
        Set<String> names = new TreeSet<>();
        JsonNode board = new ObjectMapper().readTree(dashboard.toFile());
        board.findValues("expr").forEach(expr -> names.addAll(inExpression(expr.asText())));
        board.findValues("definition").forEach(query -> names.addAll(inTemplateQuery(query.asText())));
        JsonNode rules = new YAMLMapper().readTree(alertRules.toFile());
        rules.findValues("expr").forEach(expr -> names.addAll(inExpression(expr.asText())));
        return names;
    }

    /** The metric names a PromQL expression selects: identifiers that are not functions, keywords or labels. */
    public static Set<String> inExpression(String promql) {
        String bare = QUOTED.matcher(promql).replaceAll("\"\"");
        bare = MATCHERS.matcher(bare).replaceAll(" ");
        bare = RANGE.matcher(bare).replaceAll(" ");
        bare = LABEL_LIST.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            boolean isFunction = bare.substring(identifier.end()).stripLeading().startsWith("(");
            if (!isFunction && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /** The metric of a Grafana template variable's {@code label_values(metric, label)} query, if it is one. */
    static Set<String> inTemplateQuery(String query) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = LABEL_VALUES.matcher(query);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The sample names of a scrape in the Prometheus text format (histograms as {@code _bucket}, {@code _count}, {@code _sum}). */
    public static Set<String> exposedIn(String scrape) {
        Set<String> names = new TreeSet<>();
        Matcher sample = SAMPLE_NAME.matcher(scrape);
        while (sample.find()) {
            names.add(sample.group(1));
        }
        return names;
    }
}
