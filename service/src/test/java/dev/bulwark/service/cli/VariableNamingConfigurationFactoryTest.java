package dev.bulwark.service.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.service.BulwarkConfiguration;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service's own {@code config.yml} with bad values given as its environment variables: each error names the
 * setting, the variable that set it, the rule and the value, though the resilience library that validates the
 * setting knows no variable names.
 */
class VariableNamingConfigurationFactoryTest {

    private static final ConfigurationSourceProvider FILE = new FileConfigurationSourceProvider();

    @Test
    void shouldNameTheVariableBehindEachInvalidSetting() {
        // Given the variables a user set wrongly
        Map<String, String> variables = Map.of("DB_RETRY_INTERVAL_MS", "0", "REDIS_CIRCUIT_RESET_SECONDS", "0",
                "RETRY_JITTER", "2", "CACHE_TTL_SECONDS", "0", "ITEM_COUNT_REFRESH", "1ms");

        // When the service reads its configuration
        String message = errorsFor(variables);

        // Then every error names its variable, with the unit the variable is given in
        assertThat(message).contains(
                "resilience.dependencies[database].retryInterval (DB_RETRY_INTERVAL_MS) must be at least 1 ms, got 0 ms",
                "resilience.dependencies[redis].circuitReset (REDIS_CIRCUIT_RESET_SECONDS) must be at least 1 ms, got 0 ms",
                "resilience.dependencies[database].jitter (RETRY_JITTER) must be between 0 and 1, got 2.0",
                "resilience.dependencies[redis].jitter (RETRY_JITTER) must be between 0 and 1, got 2.0",
                "cache.ttlSeconds (CACHE_TTL_SECONDS) must be at least 1",
                "itemCountRefresh (ITEM_COUNT_REFRESH) must be at least 100ms");
    }

    @Test
    void shouldNameTheRedisUrlVariableWithoutEchoingItsPassword() {
        String message = errorsFor(Map.of("REDIS_URL", "redis://:hunter2-secret@cache:not-a-port/0"));

        assertThat(message).contains("url (REDIS_URL) must look like redis://[:password@]host:port/db")
                .doesNotContain("hunter2-secret");
    }

    @Test
    void shouldNameTheVariableWhenTheConfigurationIsTheOneBundledInTheJar() {
        // The dev command reads config.yml from the class path, not from a file
        String message = errorsFor(new ResourceConfigurationSourceProvider(), Map.of("CACHE_TTL_SECONDS", "0"));

        assertThat(message).contains("cache.ttlSeconds (CACHE_TTL_SECONDS) must be at least 1");
    }

    private static String errorsFor(Map<String, String> variables) {
        return errorsFor(FILE, variables);
    }

    private static String errorsFor(ConfigurationSourceProvider source, Map<String, String> variables) {
        VariableNamingConfigurationFactory<BulwarkConfiguration> factory = new VariableNamingConfigurationFactory<>(
                BulwarkConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");
        ConfigurationException failure = catchThrowableOfType(ConfigurationException.class,
                () -> factory.build(EnvironmentConfig.substituting(source, variables), "config.yml"));
        assertThat(failure).as("the configuration must be refused").isNotNull();
        return failure.getMessage();
    }
}
