package dev.bulwark.resilience.testing;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page in the Prometheus text format, as a scraper reads it: its series by name and labels. For the tests of
 * the exposition here and of {@code GET /metrics/prometheus} in an application (the module's test-jar); comments
 * ({@code # HELP}, {@code # TYPE}) are kept only in {@link #text()}.
 *
 * @param text   the page
 * @param series every sample line, in order
 */
public record PrometheusScrape(String text, List<Series> series) {

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** A scrape of {@code registry} in the text format. */
    public static PrometheusScrape of(PrometheusRegistry registry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(out.toString(StandardCharsets.UTF_8));
    }

    public static PrometheusScrape parse(String text) {
        List<Series> series = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher matcher = LINE.matcher(line);
            if (line.startsWith("#") || !matcher.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            Matcher label = LABEL.matcher(matcher.group(2) == null ? "" : matcher.group(2));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            series.add(new Series(matcher.group(1), labels, Double.parseDouble(matcher.group(3))));
        }
        return new PrometheusScrape(text, series);
    }

    /** The value of the one series called {@code name} with exactly {@code labels} (name, value, name, value...). */
    public double value(String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return series.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted)).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + name + wanted + " in:\n" + text))
                .value();
    }

    /** Every series called {@code name}. */
    public List<Series> named(String name) {
        return series.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** Every series whose name starts with {@code prefix}. */
    public List<Series> startingWith(String prefix) {
        return series.stream().filter(s -> s.name().startsWith(prefix)).toList();
    }

    /** One sample line: a name, its labels and a value. */
    public record Series(String name, Map<String, String> labels, double value) {
    }
}
