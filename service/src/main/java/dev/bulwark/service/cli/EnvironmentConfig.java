package dev.bulwark.service.cli;

import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import java.io.IOException;
import java.io.InputStream;
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
    public static Substituting substituting(ConfigurationSourceProvider delegate, Map<String, String> overrides) {
        Map<String, String> fixed = Map.copyOf(overrides);
        StringSubstitutor substitutor = new StringSubstitutor(
                name -> fixed.containsKey(name) ? fixed.get(name) : System.getenv(name));
        substitutor.setEnableUndefinedVariableException(true);
        return new Substituting(delegate, substitutor);
    }

    /**
     * A provider that substitutes the variables, and still reads the file as written, so that
     * {@link VariableNamingConfigurationFactory} can tell which variable set which key. Thread-safe if the
     * delegate is.
     */
    public static final class Substituting extends SubstitutingSourceProvider {

        private final ConfigurationSourceProvider unsubstituted;

        Substituting(ConfigurationSourceProvider delegate, StringSubstitutor substitutor) {
            super(delegate, substitutor);
            this.unsubstituted = delegate;
        }

        /** The file at {@code path} as written, {@code ${VAR:-default}} and all. */
        public InputStream openUnsubstituted(String path) throws IOException {
            return unsubstituted.open(path);
        }
    }
}
