package dev.bulwark.resilience.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.resilience.Backoff;
import dev.bulwark.resilience.CircuitState;
import dev.bulwark.resilience.Resilient;
import io.dropwizard.util.Duration;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyPolicyTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void shouldAcceptTheDefaults() {
        assertThat(VALIDATOR.validate(new DependencyPolicy())).isEmpty();
    }

    @Test
    void shouldNameEveryInvalidSettingOnItsOwnPathWithItsUnit() {
        // Given several settings out of range at once
        DependencyPolicy policy = new DependencyPolicy();
        policy.setMaxRetries(-1);
        policy.setRetryInterval(Duration.milliseconds(0));
        policy.setJitter(1.5);
        policy.setCircuitFailureThreshold(0);
        policy.setRetryBudgetRatio(2);

        // When it is validated
        List<String> problems = VALIDATOR.validate(policy).stream()
                .map(v -> v.getPropertyPath() + " " + v.getMessage()).sorted().toList();

        // Then each is reported on its own, naming the setting, the rule and the value (no variable names)
        assertThat(problems).containsExactly(
                "circuitFailureThreshold must be at least 1, got 0",
                "jitter must be between 0 and 1, got 1.5",
                "maxRetries must be 0 or more, got -1",
                "retryBudgetRatio must be between 0 and 1, got 2.0",
                "retryInterval must be at least 1 ms, got 0 ms");
    }

    @Test
    void shouldAcceptAResetTimeBelowOneSecond() {
        DependencyPolicy policy = new DependencyPolicy();
        policy.setCircuitReset(Duration.milliseconds(500));

        assertThat(VALIDATOR.validate(policy)).isEmpty();
    }

    @Test
    void shouldGiveTheFixedIntervalScheduleOperatorsExpect() {
        DependencyPolicy policy = new DependencyPolicy();
        policy.setRetryInterval(Duration.seconds(5));
        policy.setMaxBackoff(Duration.seconds(5));
        policy.setJitter(0);

        assertThat(policy.startupBackoff().delay(1, () -> 0.7)).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(policy.startupBackoff().delay(9, () -> 0.7)).isEqualTo(java.time.Duration.ofSeconds(5));
    }

    @Test
    void shouldFitAtLeastTwoRuntimeRetriesInEachDefaultDeadlineWhateverTheStartupInterval() {
        for (long deadlineMs : new long[] {3000, 500}) {
            DependencyPolicy policy = new DependencyPolicy();
            policy.setRetryDeadline(Duration.milliseconds(deadlineMs));
            Backoff runtime = policy.runtimeBackoff();

            // The two first delays with the largest jitter, against the deadline (start-up's first delay is 2 s).
            java.time.Duration twoRetries = runtime.delay(1, () -> 0.999_999).plus(runtime.delay(2, () -> 0.999_999));
            assertThat(twoRetries).as("deadline %d ms", deadlineMs).isLessThan(java.time.Duration.ofMillis(deadlineMs / 2));
            assertThat(policy.startupBackoff().interval()).isEqualTo(java.time.Duration.ofSeconds(2));
        }
    }

    @Test
    void shouldRefuseAProbeIntervalLongerThanTheResetTime() {
        DependencyPolicy policy = new DependencyPolicy();
        policy.setProbeInterval(Duration.seconds(61));

        assertThat(VALIDATOR.validate(policy)).extracting(v -> v.getPropertyPath() + " " + v.getMessage())
                .containsExactly("probeInterval must be at most circuitReset (60000 ms), got 61000 ms");
    }

    @Test
    void shouldRefuseAConcurrencyLimitWaitThatIsNotShorterThanTheDeadline() {
        DependencyPolicy policy = new DependencyPolicy();
        policy.setConcurrencyLimitWait(Duration.seconds(3));

        assertThat(VALIDATOR.validate(policy)).extracting(v -> v.getPropertyPath() + " " + v.getMessage())
                .containsExactly("concurrencyLimitWait must be 0 ms or more and less than retryDeadline (3000 ms), got 3000 ms");

        policy.setConcurrencyLimitWait(Duration.milliseconds(0));
        assertThat(VALIDATOR.validate(policy)).isEmpty();
    }

    @Test
    void shouldReportAMissingDurationOnceWithoutFailingTheOtherChecks() {
        DependencyPolicy policy = new DependencyPolicy();
        policy.setCircuitReset(null);

        assertThat(VALIDATOR.validate(policy)).extracting(ConstraintViolation::getPropertyPath)
                .extracting(Object::toString).containsExactly("circuitReset");
    }

    @Test
    void shouldBuildABreakerOnlyWhenEnabled() {
        DependencyPolicy policy = new DependencyPolicy();
        policy.setCircuitEnabled(false);
        Resilient withoutBreaker = policy.policies("database").build();
        withoutBreaker.openBreaker();

        assertThat(withoutBreaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(new DependencyPolicy().policies("database").build().name()).isEqualTo("database");
    }
}
