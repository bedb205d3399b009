package dev.bulwark.service.cli;

import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;

/**
 * Resolves {@code ${VAR:-default}} in the configuration file from environment variables, with
 * optional overrides that win over the environment (the {@code dev} command's embedded endpoints).
 * A {@code ${VAR}} with neither a value nor a default stops start-up naming the variable.
 */
public final class EnvironmentConfig {

    private EnvironmentConfig() {
    }

    /** Wraps {@code delegate} so the files it reads are substituted. */
    public static ConfigurationSourceProvider substituting(ConfigurationSourceProvider delegate,
                                                           Map<String, String> overrides) {
        Map<String, String> fixed = Map.copyOf(overrides);
        StringSubstitutor substitutor = new StringSubstitutor(
                name -> fixed.containsKey(name) ? fixed.get(name) : System.getenv(name));
        substitutor.setEnableUndefinedVariableException(true);
        return new SubstitutingSourceProvider(delegate, substitutor);
    }
}
