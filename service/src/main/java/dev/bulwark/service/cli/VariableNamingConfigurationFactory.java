package dev.bulwark.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.validation.ConstraintViolations;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dropwizard's YAML configuration factory, whose validation errors also name the environment variable that set
 * the value: {@code resilience.dependencies[database].retryInterval (DB_RETRY_INTERVAL_MS) must be at least 1 ms,
 * got 0 ms}. The variable is read from the file as written ({@code retryInterval: ${DB_RETRY_INTERVAL_MS:-2000}ms}),
 * through the {@link EnvironmentConfig.Substituting} provider that read it (a file, or the {@code config.yml}
 * bundled in the jar), so the library the setting belongs to needs to know no variable names. A setting not fed
 * by a variable, or another provider, keeps Dropwizard's message. Not thread-safe; Dropwizard uses it once.
 *
 * @param <T> the configuration class
 */
public final class VariableNamingConfigurationFactory<T> extends YamlConfigurationFactory<T> {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern MAP_KEY = Pattern.compile("\\[([^\\]]*)\\]");

    public VariableNamingConfigurationFactory(Class<T> klass, Validator validator, ObjectMapper mapper,
                                              String propertyPrefix) {
        super(klass, validator, mapper, propertyPrefix);
    }

    @Override
    public T build(ConfigurationSourceProvider provider, String path) throws IOException, ConfigurationException {
        try {
            return super.build(provider, path);
        } catch (ConfigurationValidationException invalid) {
            Map<String, String> variables = variablesByKey(provider, path);
            List<String> errors = invalid.getConstraintViolations().stream()
                    .map(violation -> withVariable(violation, variables))
                    .sorted()
                    .toList();
            throw new InvalidConfigurationException(path, errors, invalid);
        }
    }

    // "a.b[c].d must ..." -> "a.b[c].d (VAR) must ..."; a @ValidationMethod's message names its key first instead.
    private static <V> String withVariable(ConstraintViolation<V> violation, Map<String, String> variables) {
        String formatted = ConstraintViolations.format(violation);
        String path = violation.getPropertyPath().toString();
        String key = MAP_KEY.matcher(path).replaceAll(".$1");
        if (variables.containsKey(key) && formatted.startsWith(path + " ")) {
            return path + " (" + variables.get(key) + ")" + formatted.substring(path.length());
        }
        int parentEnd = key.lastIndexOf('.');
        String firstWord = formatted.split(" ", 2)[0];
        String sibling = (parentEnd < 0 ? "" : key.substring(0, parentEnd + 1)) + firstWord;
        if (variables.containsKey(sibling)) {
            return firstWord + " (" + variables.get(sibling) + ")" + formatted.substring(firstWord.length());
        }
        return formatted;
    }

    /** Every key of the file whose value names a variable: {@code resilience.dependencies.database.retryInterval}. */
    private static Map<String, String> variablesByKey(ConfigurationSourceProvider provider, String path) {
        Map<String, String> variables = new HashMap<>();
        if (!(provider instanceof EnvironmentConfig.Substituting substituting)) {
            return variables;
        }
        try (InputStream raw = substituting.openUnsubstituted(path)) {
            collect(new ObjectMapper(new YAMLFactory()).readTree(raw), "", variables);
        } catch (IOException | RuntimeException unreadable) {
            // The messages then stay as Dropwizard words them.
        }
        return variables;
    }

    private static void collect(JsonNode node, String key, Map<String, String> variables) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> collect(field.getValue(),
                    key.isEmpty() ? field.getKey() : key + "." + field.getKey(), variables));
        } else if (node.isTextual()) {
            Matcher variable = VARIABLE.matcher(node.asText());
            if (variable.find()) {
                variables.put(key, variable.group(1));
            }
        }
    }

    /** Dropwizard's validation errors, each naming its variable where one set the value. */
    static final class InvalidConfigurationException extends ConfigurationException {
        private static final long serialVersionUID = 1L;

        InvalidConfigurationException(String path, List<String> errors, Throwable cause) {
            super(path, errors, cause);
        }
    }
}
