package dev.bulwark.resilience.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bulwark.resilience.Backoff;
import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.ResilientBuilder;
import dev.bulwark.resilience.RetryBudget;
import dev.bulwark.resilience.StartupGate;
import io.dropwizard.util.Duration;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.NotNull;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resilience settings of one dependency, one entry of {@code resilience.dependencies} in YAML; times are
 * Dropwizard {@link Duration}s ({@code 2s}, {@code 500ms}). An invalid value stops start-up with one message per
 * setting, naming it: {@code retryInterval must be at least 1 ms, got 0 ms}.
 *
 * <p>At start-up, while the dependency does not answer, the factory's {@linkplain #startupGate gate} makes up to
 * {@code maxRetries} attempts, {@code retryInterval} apart, doubling to {@code maxBackoff}, with {@code jitter}
 * ({@code required: false} skips the wait). At runtime a call is retried at most {@code maxRetries} times within
 * {@code retryDeadline}, backing off from a tenth of the deadline, while the retry budget
 * ({@code retryBudgetRatio} of calls plus {@code retryBudgetPerSecond}) lasts. After
 * {@code circuitFailureThreshold} consecutive failed calls the breaker opens; a prober then checks the dependency
 * from {@code probeInterval} on, at least every {@code circuitReset}, and closes it when it answers.
 * {@code concurrencyLimitEnabled} puts an adaptive concurrency limit in front of units of work where the factory
 * has one (JDBI); a unit over it waits up to {@code concurrencyLimitWait} for a permit before it is refused.
 *
 * <p>Defaults: 30 attempts and retries, 2s doubling to 30s, jitter 0.25, deadline 3s, budget 0.2 + 10/s,
 * breaker after 5 failures, reset 60s, first probe after 100ms, limit enabled with a 100ms wait, required. Mutable while Jackson
 * binds it; read-only afterwards.
 */
@DependencyPolicy.Valid
public class DependencyPolicy {

    private boolean required = true;
    // At start-up: the number of attempts ("attempt 3/30"). At runtime: retries after the first attempt.
    private int maxRetries = 30;
    @NotNull
    private Duration retryInterval = Duration.seconds(2);
    @NotNull
    private Duration maxBackoff = Duration.seconds(30);
    private double jitter = 0.25;
    @NotNull
    private Duration retryDeadline = Duration.seconds(3);
    private double retryBudgetRatio = 0.2;
    private double retryBudgetPerSecond = 10;
    private boolean circuitEnabled = true;
    private int circuitFailureThreshold = 5;
    @NotNull
    private Duration circuitReset = Duration.seconds(60);
    @NotNull
    private Duration probeInterval = Duration.milliseconds(100);
    private boolean concurrencyLimitEnabled = true;
    @NotNull
    private Duration concurrencyLimitWait = Duration.milliseconds(100);

    /**
     * The runtime policies for the dependency called {@code name}, from these settings, ready for the factory to add
     * what only it knows: the probe, a concurrency limit, how to drop stale connections. The runtime backoff is a
     * tenth of the deadline, doubling, at most half of it, so at least two retries fit in the deadline when
     * attempts fail fast: for 3s, 0.3s, 0.6s, 1.2s.
     */
    public ResilientBuilder policies(String name) {
        Backoff runtime = runtimeBackoff();
        ResilientBuilder builder = Resilient.builder(name)
                .withMaxRetries(maxRetries)
                .withBackoff(runtime.interval(), runtime.max())
                .withJitter(runtime.jitter())
                .withDeadline(retryDeadline.toJavaDuration())
                .withRetryBudget(new RetryBudget(retryBudgetRatio, retryBudgetPerSecond, System::nanoTime));
        return circuitEnabled
                ? builder.withCircuitBreaker(circuitFailureThreshold, circuitReset.toJavaDuration())
                : builder.withoutCircuitBreaker();
    }

    /** The runtime retry schedule (Failsafe applies it): a tenth of the deadline, doubling, at most half of it. */
    public Backoff runtimeBackoff() {
        long deadlineMs = retryDeadline.toMilliseconds();
        java.time.Duration first = java.time.Duration.ofMillis(Math.max(1, deadlineMs / 10));
        java.time.Duration max = java.time.Duration.ofMillis(Math.max(first.toMillis(), deadlineMs / 2));
        return new Backoff(first, max, jitter);
    }

    /** The start-up schedule: {@code retryInterval}, doubling to {@code maxBackoff}, with {@code jitter}. */
    public Backoff startupBackoff() {
        return new Backoff(retryInterval.toJavaDuration(), max(retryInterval, maxBackoff).toJavaDuration(), jitter);
    }

    /**
     * The wait for the dependency at start-up: {@code maxRetries} attempts on the {@linkplain #startupBackoff()
     * start-up schedule}.
     *
     * @param label   how its log lines name the dependency ({@code DB}, {@code Redis})
     * @param name    the dependency's name
     * @param address {@code host:port}, without credentials
     */
    public StartupGate startupGate(String label, String name, String address) {
        return StartupGate.builder(label, name, address).withAttempts(maxRetries).withBackoff(startupBackoff()).build();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    Map<String, String> problems() {
        Map<String, String> problems = new LinkedHashMap<>();
        check(problems, maxRetries >= 0, "maxRetries", "must be 0 or more, got " + maxRetries);
        atLeastOneMilli(problems, "retryInterval", retryInterval);
        atLeastOneMilli(problems, "maxBackoff", maxBackoff);
        check(problems, jitter >= 0 && jitter <= 1, "jitter", "must be between 0 and 1, got " + jitter);
        atLeastOneMilli(problems, "retryDeadline", retryDeadline);
        check(problems, retryBudgetRatio >= 0 && retryBudgetRatio <= 1, "retryBudgetRatio",
                "must be between 0 and 1, got " + retryBudgetRatio);
        check(problems, retryBudgetPerSecond >= 0, "retryBudgetPerSecond",
                "must be 0 or more, got " + retryBudgetPerSecond);
        check(problems, circuitFailureThreshold >= 1, "circuitFailureThreshold",
                "must be at least 1, got " + circuitFailureThreshold);
        atLeastOneMilli(problems, "circuitReset", circuitReset);
        if (atLeastOneMilli(problems, "probeInterval", probeInterval) && circuitReset != null) {
            check(problems, probeInterval.compareTo(circuitReset) <= 0, "probeInterval",
                    "must be at most circuitReset (" + millis(circuitReset) + "), got " + millis(probeInterval));
        }
        if (concurrencyLimitWait != null && retryDeadline != null) {
            check(problems, concurrencyLimitWait.toNanoseconds() >= 0
                            && concurrencyLimitWait.compareTo(retryDeadline) < 0, "concurrencyLimitWait",
                    "must be 0 ms or more and less than retryDeadline (" + millis(retryDeadline) + "), got "
                            + millis(concurrencyLimitWait));
        }
        return problems;
    }

    // A null is reported by @NotNull already.
    private static boolean atLeastOneMilli(Map<String, String> problems, String setting, Duration value) {
        return value != null
                && check(problems, value.toMilliseconds() >= 1, setting, "must be at least 1 ms, got " + millis(value));
    }

    private static boolean check(Map<String, String> problems, boolean valid, String setting, String rule) {
        if (!valid) {
            problems.putIfAbsent(setting, rule);
        }
        return valid;
    }

    private static String millis(Duration duration) {
        return duration.toMilliseconds() + " ms";
    }

    /** Whether start-up waits for the dependency (default true); false starts without it. */
    @JsonProperty
    public boolean isRequired() {
        return required;
    }

    @JsonProperty
    public void setRequired(boolean required) {
        this.required = required;
    }

    @JsonProperty
    public int getMaxRetries() {
        return maxRetries;
    }

    @JsonProperty
    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    @JsonProperty
    public Duration getRetryInterval() {
        return retryInterval;
    }

    @JsonProperty
    public void setRetryInterval(Duration retryInterval) {
        this.retryInterval = retryInterval;
    }

    @JsonProperty
    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    @JsonProperty
    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }

    @JsonProperty
    public double getJitter() {
        return jitter;
    }

    @JsonProperty
    public void setJitter(double jitter) {
        this.jitter = jitter;
    }

    @JsonProperty
    public Duration getRetryDeadline() {
        return retryDeadline;
    }

    @JsonProperty
    public void setRetryDeadline(Duration retryDeadline) {
        this.retryDeadline = retryDeadline;
    }

    @JsonProperty
    public double getRetryBudgetRatio() {
        return retryBudgetRatio;
    }

    @JsonProperty
    public void setRetryBudgetRatio(double retryBudgetRatio) {
        this.retryBudgetRatio = retryBudgetRatio;
    }

    @JsonProperty
    public double getRetryBudgetPerSecond() {
        return retryBudgetPerSecond;
    }

    @JsonProperty
    public void setRetryBudgetPerSecond(double retryBudgetPerSecond) {
        this.retryBudgetPerSecond = retryBudgetPerSecond;
    }

    @JsonProperty
    public boolean isCircuitEnabled() {
        return circuitEnabled;
    }

    @JsonProperty
    public void setCircuitEnabled(boolean circuitEnabled) {
        this.circuitEnabled = circuitEnabled;
    }

    @JsonProperty
    public int getCircuitFailureThreshold() {
        return circuitFailureThreshold;
    }

    @JsonProperty
    public void setCircuitFailureThreshold(int circuitFailureThreshold) {
        this.circuitFailureThreshold = circuitFailureThreshold;
    }

    @JsonProperty
    public Duration getCircuitReset() {
        return circuitReset;
    }

    @JsonProperty
    public void setCircuitReset(Duration circuitReset) {
        this.circuitReset = circuitReset;
    }

    /** The delay between probes of the open breaker starts here. */
    @JsonProperty
    public Duration getProbeInterval() {
        return probeInterval;
    }

    @JsonProperty
    public void setProbeInterval(Duration probeInterval) {
        this.probeInterval = probeInterval;
    }

    /** Whether units of work run under the adaptive concurrency limit, where the factory has one (default true). */
    @JsonProperty
    public boolean isConcurrencyLimitEnabled() {
        return concurrencyLimitEnabled;
    }

    @JsonProperty
    public void setConcurrencyLimitEnabled(boolean concurrencyLimitEnabled) {
        this.concurrencyLimitEnabled = concurrencyLimitEnabled;
    }

    /**
     * How long a unit of work over the concurrency limit waits for a permit before it is refused (default 100ms;
     * 0 refuses at once). It absorbs a burst a fast dependency drains in milliseconds; a slow one frees permits
     * too slowly, so its refusals come after this wait.
     */
    @JsonProperty
    public Duration getConcurrencyLimitWait() {
        return concurrencyLimitWait;
    }

    @JsonProperty
    public void setConcurrencyLimitWait(Duration concurrencyLimitWait) {
        this.concurrencyLimitWait = concurrencyLimitWait;
    }

    /** Checks every setting at once and reports each problem as its own violation, on the setting's path. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = Validator.class)
    public @interface Valid {
        String message() default "invalid resilience settings";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** The validator behind {@link Valid}. */
    public static final class Validator implements ConstraintValidator<Valid, DependencyPolicy> {
        @Override
        public boolean isValid(DependencyPolicy policy, ConstraintValidatorContext context) {
            Map<String, String> problems = policy.problems();
            if (problems.isEmpty()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            // Escaped: the messages are templates, and values could contain '{' or '$'.
            problems.forEach((setting, rule) -> context.buildConstraintViolationWithTemplate(
                    rule.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$"))
                    .addPropertyNode(setting).addConstraintViolation());
            return false;
        }
    }
}
