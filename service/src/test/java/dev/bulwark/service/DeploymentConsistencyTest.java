package dev.bulwark.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The environment variables {@code service/config.yml} reads ({@code ${VAR:-default}}) are the ones every
 * deployment file passes and every document describes: {@code .env.example}, {@code docker-compose.yml},
 * the Helm chart and {@code docs/configuration.md}. Adding a knob to config.yml without the others, or
 * leaving a removed one behind, fails the build with the names that are missing or extra in each file; so
 * does a default that differs from config.yml's, except the few each deployment changes on purpose.
 * Runs from the service module's directory (Surefire's working directory), without a database.
 */
class DeploymentConsistencyTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path ROOT = MODULE.getParent();

    private static final Pattern CONFIG_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern ENV_EXAMPLE_LINE = Pattern.compile("(?m)^#?\\s*([A-Z][A-Z0-9_]*)=(.*)$");
    private static final Pattern HELM_CONFIGMAP_KEY = Pattern.compile(
            "(?m)^\\s+([A-Z][A-Z0-9_]*):\\s*\\{\\{\\s*([$.][A-Za-z.]+)");
    private static final Pattern HELM_ENV_NAME = Pattern.compile("(?m)^\\s*- name: ([A-Z][A-Z0-9_]*)\\s*$");
    private static final String DOC_SECTION = "## Settings from the environment";
    private static final Pattern DOC_TABLE_ROW = Pattern.compile(
            "(?m)^\\|\\s*`[^|]+\\|\\s*`([A-Z][A-Z0-9_]*)`\\s*\\|\\s*([^|]*?)\\s*\\|");

    /** Where the local stack's values differ from config.yml on purpose (see docker-compose.yml's comments). */
    private static final Set<String> COMPOSE_OWN_DEFAULTS = Set.of("DB_URL", "REDIS_URL", "DB_PASSWORD", "ADMIN_BIND_HOST");

    /** The chart's in-cluster addresses (see values.yaml). */
    private static final Set<String> HELM_OWN_DEFAULTS = Set.of("DB_URL", "REDIS_URL");

    private static Map<String, String> configDefaults;

    @BeforeAll
    static void readConfigYml() throws IOException {
        configDefaults = new LinkedHashMap<>();
        // Comments may show the ${VAR:-default} syntax itself; only values count.
        String values = read(MODULE.resolve("config.yml")).replaceAll("(?m)^\\s*#.*$", "");
        Matcher matcher = CONFIG_VARIABLE.matcher(values);
        while (matcher.find()) {
            String variable = matcher.group(1);
            String value = matcher.group(2) == null ? "" : matcher.group(2);
            String previous = configDefaults.putIfAbsent(variable, value);
            assertThat(previous == null || previous.equals(value))
                    .as("config.yml gives %s two defaults: %s and %s", variable, previous, value).isTrue();
        }
    }

    @Test
    void shouldFindTheVariablesConfigYmlReads() {
        assertThat(configDefaults).containsKeys("DB_URL", "DB_PASSWORD", "REDIS_URL", "RETRY_JITTER", "DB_MAX_RETRIES")
                .hasSizeGreaterThan(30);
    }

    @Test
    void shouldListEveryVariableInEnvExampleWithItsDefault() throws IOException {
        Map<String, String> listed = matches(ENV_EXAMPLE_LINE, read(ROOT.resolve(".env.example")));

        assertSameVariables(".env.example", listed.keySet());
        assertSameDefaults(".env.example", listed, Set.of());
    }

    @Test
    void shouldPassEveryVariableToTheServiceInDockerCompose() throws IOException {
        JsonNode environment = new YAMLMapper().readTree(ROOT.resolve("docker-compose.yml").toFile())
                .path("services").path("bulwark").path("environment");
        Map<String, String> defaults = new LinkedHashMap<>();
        List<String> notSubstituted = new ArrayList<>();
        environment.properties().forEach(entry -> {
            Matcher value = Pattern.compile("\\$\\{" + entry.getKey() + ":-(.*)}").matcher(entry.getValue().asText());
            if (value.matches()) {
                defaults.put(entry.getKey(), value.group(1));
            } else {
                notSubstituted.add(entry.getKey() + ": " + entry.getValue().asText());
            }
        });

        assertThat(notSubstituted).as("docker-compose.yml values not written as ${VAR:-default}").isEmpty();
        assertSameVariables("docker-compose.yml (services.bulwark.environment)", defaults.keySet());
        assertSameDefaults("docker-compose.yml", defaults, COMPOSE_OWN_DEFAULTS);
    }

    @Test
    void shouldSetEveryVariableInTheHelmChartFromAValue() throws IOException {
        Path chart = ROOT.resolve("helm/bulwark");
        Map<String, String> fromConfigMap = matches(HELM_CONFIGMAP_KEY, read(chart.resolve("templates/configmap.yaml")));
        Set<String> fromSecrets = matches(HELM_ENV_NAME, read(chart.resolve("templates/deployment.yaml"))).keySet();
        Set<String> all = new TreeSet<>(fromConfigMap.keySet());
        all.addAll(fromSecrets);
        JsonNode values = new YAMLMapper().readTree(chart.resolve("values.yaml").toFile());
        String valuesText = read(chart.resolve("values.yaml"));

        assertSameVariables("helm/bulwark templates (configmap.yaml data, deployment.yaml env)", all);
        assertThat(fromConfigMap).as("the database password comes from a Secret, never the ConfigMap")
                .doesNotContainKey("DB_PASSWORD");
        assertThat(fromSecrets).as("deployment.yaml takes DB_PASSWORD from a Secret").contains("DB_PASSWORD");
        Map<String, String> defaults = new LinkedHashMap<>();
        fromConfigMap.forEach((variable, reference) -> {
            JsonNode value = valueAt(values, reference);
            assertThat(value.isMissingNode())
                    .as("configmap.yaml sets %s from %s, which values.yaml does not define", variable, reference)
                    .isFalse();
            defaults.put(variable, value.asText());
        });
        assertSameDefaults("helm/bulwark/values.yaml", defaults, HELM_OWN_DEFAULTS);
        assertThat(configDefaults.keySet().stream().filter(variable -> !valuesText.contains(variable)))
                .as("variables values.yaml never names (each key's comment names its variable)").isEmpty();
    }

    @Test
    void shouldDescribeEveryVariableInTheConfigurationDoc() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        String table = section(read(ROOT.resolve("docs/configuration.md")), DOC_SECTION);
        matches(DOC_TABLE_ROW, table).forEach((variable, cell) ->
                documented.put(variable, cell.equals("(empty)") ? "" : cell.replaceAll("^`|`$", "")));

        assertSameVariables("docs/configuration.md", documented.keySet());
        assertSameDefaults("docs/configuration.md", documented, Set.of());
    }

    private static void assertSameVariables(String where, Set<String> found) {
        Set<String> missing = new TreeSet<>(configDefaults.keySet());
        missing.removeAll(found);
        Set<String> extra = new TreeSet<>(found);
        extra.removeAll(configDefaults.keySet());
        assertThat(missing.isEmpty() && extra.isEmpty())
                .as("%s: missing %s; not read by service/config.yml %s", where, missing, extra)
                .isTrue();
    }

    private static void assertSameDefaults(String where, Map<String, String> found, Set<String> ownDefaults) {
        List<String> different = new ArrayList<>();
        found.forEach((variable, value) -> {
            if (!ownDefaults.contains(variable) && !value.equals(configDefaults.get(variable))) {
                different.add(variable + "=" + value + " (config.yml: " + configDefaults.get(variable) + ")");
            }
        });
        assertThat(different).as("%s: defaults that differ from service/config.yml", where).isEmpty();
    }

    /** Group 1 to group 2 of every match, in order; a name matched twice keeps its first value. */
    private static Map<String, String> matches(Pattern pattern, String text) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.putIfAbsent(matcher.group(1), matcher.groupCount() > 1 ? matcher.group(2).trim() : "");
        }
        return found;
    }

    /** The node at a template reference: {@code .Values.a.b}, or {@code $db.x} / {@code $redis.x} (configmap.yaml's shorthands). */
    private static JsonNode valueAt(JsonNode values, String reference) {
        String path = reference.replaceFirst("^\\$db\\.", ".Values.resilience.database.")
                .replaceFirst("^\\$redis\\.", ".Values.resilience.redis.")
                .replaceFirst("^\\.Values\\.", "");
        JsonNode node = values;
        for (String key : path.split("\\.")) {
            node = node.path(key);
        }
        return node;
    }

    /** From {@code heading} to the next {@code ## } heading; the variables' table, not the fixed settings'. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf(heading);
        assertThat(start).as("docs/configuration.md has a section %s", heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + heading.length());
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
