package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failsafe.CircuitBreaker;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResilienceConfigTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    /** The shape the service gives the database: prefix DB, deadline 3 s, threshold 5, reset 60 s. */
    static final class DatabaseSettings extends ResilienceConfig {
        DatabaseSettings() {
            super("DB", 3000, 5, 60);
        }
    }

    @Test
    void shouldAcceptTheDefaults() {
        assertThat(VALIDATOR.validate(new DatabaseSettings())).isEmpty();
    }

    @Test
    void shouldNameEverySettingAndItsEnvironmentVariableWhenInvalid() {
        DatabaseSettings config = new DatabaseSettings();
        config.setMaxRetries(-1);
        config.setRetryIntervalMs(0);
        config.setJitter(1.5);
        config.setCircuitFailureThreshold(0);
        config.setRetryBudgetRatio(2);

        List<String> messages = VALIDATOR.validate(config).stream().map(ConstraintViolation::getMessage).sorted().toList();

        assertThat(messages).containsExactly(
                "circuitFailureThreshold (DB_CIRCUIT_FAILURE_THRESHOLD) must be at least 1, got 0",
                "jitter (RETRY_JITTER) must be between 0 and 1, got 1.5",
                "maxRetries (DB_MAX_RETRIES) must be 0 or more, got -1",
                "retryBudgetRatio (DB_RETRY_BUDGET_RATIO) must be between 0 and 1, got 2.0",
                "retryIntervalMs (DB_RETRY_INTERVAL_MS) must be at least 1, got 0");
    }

    @Test
    void shouldMapSettingsToEnvironmentVariables() {
        DatabaseSettings config = new DatabaseSettings();

        assertThat(config.envVar("maxBackoffSeconds")).isEqualTo("DB_MAX_BACKOFF_SECONDS");
        assertThat(config.envVar("retryDeadlineMs")).isEqualTo("DB_RETRY_DEADLINE_MS");
        assertThat(config.envVar("retryBudgetPerSecond")).isEqualTo("DB_RETRY_BUDGET_PER_SECOND");
        assertThat(config.envVar("circuitEnabled")).isEqualTo("DB_CIRCUIT_ENABLED");
    }

    @Test
    void shouldGiveTheFixedIntervalScheduleOperatorsExpect() {
        DatabaseSettings config = new DatabaseSettings();
        config.setRetryIntervalMs(5000);
        config.setMaxBackoffSeconds(5);
        config.setJitter(0);

        assertThat(config.startupBackoff().delay(1, () -> 0.7)).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.startupBackoff().delay(9, () -> 0.7)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldFitAtLeastTwoRuntimeRetriesInEachDefaultDeadlineWhateverTheStartupInterval() {
        for (long deadlineMs : new long[] {3000, 500}) {
            DatabaseSettings config = new DatabaseSettings();
            config.setRetryDeadlineMs(deadlineMs);
            Backoff runtime = config.runtimeBackoff();

            // The two first delays with the largest jitter, against the deadline (start-up's first delay is 2 s).
            Duration twoRetries = runtime.delay(1, () -> 0.999_999).plus(runtime.delay(2, () -> 0.999_999));
            assertThat(twoRetries).as("deadline %d ms", deadlineMs).isLessThan(Duration.ofMillis(deadlineMs / 2));
            assertThat(config.startupBackoff().interval()).isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void shouldRefuseAProbeIntervalLongerThanTheResetTime() {
        DatabaseSettings config = new DatabaseSettings();
        config.setProbeIntervalMs(61_000);

        assertThat(VALIDATOR.validate(config)).extracting(ConstraintViolation::getMessage).containsExactly(
                "probeIntervalMs (DB_PROBE_INTERVAL_MS) must be at least 1 and at most circuitResetSeconds × 1000, got 61000");
    }

    @Test
    void shouldBuildABreakerOnlyWhenEnabled() {
        DatabaseSettings config = new DatabaseSettings();
        config.setCircuitEnabled(false);
        Resilient withoutBreaker = config.build("database");
        withoutBreaker.openBreaker();

        assertThat(withoutBreaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(new DatabaseSettings().build("database").name()).isEqualTo("database");
    }
}
