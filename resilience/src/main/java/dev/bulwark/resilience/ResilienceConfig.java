package dev.bulwark.resilience;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Retry, circuit-breaker and retry-budget settings for one dependency, bound from YAML. Each setting
 * has an environment variable {@code <PREFIX>_<NAME>} (for example {@code DB_MAX_RETRIES}), and an
 * invalid value stops start-up with a message naming both the setting and the variable.
 *
 * <p>{@code maxRetries}, {@code retryIntervalMs}, {@code maxBackoffSeconds} and {@code jitter} drive the
 * start-up wait ({@link #startupBackoff()}). Runtime retries are bounded by {@code retryDeadlineMs}, the
 * budget and {@code maxRetries}, and back off on a schedule derived from the deadline
 * ({@link #runtimeBackoff()}), so that several fit in it. While the breaker is open, the dependency is probed
 * from {@code probeIntervalMs} on, and at least every {@code circuitResetSeconds}. Subclasses fix the
 * prefix and the defaults. Mutable while Jackson binds it; read-only afterwards.
 */
@ResilienceConfig.Valid
public abstract class ResilienceConfig {

    private final String envPrefix;

    // At start-up: the number of attempts ("attempt 3/30"). At runtime: retries after the first attempt.
    private int maxRetries = 30;
    private long retryIntervalMs = 2000;
    private long maxBackoffSeconds = 30;
    private double jitter = 0.25;
    private long retryDeadlineMs;
    private boolean circuitEnabled = true;
    private int circuitFailureThreshold;
    private long circuitResetSeconds;
    private long probeIntervalMs = 100;
    private double retryBudgetRatio = 0.2;
    private double retryBudgetPerSecond = 10;

    protected ResilienceConfig(String envPrefix, long retryDeadlineMs, int circuitFailureThreshold,
                               long circuitResetSeconds) {
        this.envPrefix = envPrefix;
        this.retryDeadlineMs = retryDeadlineMs;
        this.circuitFailureThreshold = circuitFailureThreshold;
        this.circuitResetSeconds = circuitResetSeconds;
    }

    /**
     * The runtime policies for the dependency called {@code name}, from these settings, ready for the caller to
     * add what only it knows: the probe, a concurrency limit, how to drop stale connections.
     */
    public Resilient.Builder policies(String name) {
        Resilient.Builder builder = Resilient.builder(name)
                .withMaxRetries(maxRetries)
                .withBackoff(runtimeBackoff())
                .withDeadline(Duration.ofMillis(retryDeadlineMs))
                .withRetryBudget(new RetryBudget(retryBudgetRatio, retryBudgetPerSecond, System::nanoTime));
        return circuitEnabled
                ? builder.withCircuitBreaker(circuitFailureThreshold, Duration.ofSeconds(circuitResetSeconds))
                : builder.withoutCircuitBreaker();
    }

    /** {@link #policies(String)} as they are, without a probe or a limit. */
    public Resilient build(String name) {
        return policies(name).build();
    }

    /** The delay between probes of the open breaker starts here. */
    public Duration probeInterval() {
        return Duration.ofMillis(probeIntervalMs);
    }

    /** The backoff schedule, also used while waiting for the dependency at start-up. */
    public Backoff startupBackoff() {
        return new Backoff(Duration.ofMillis(retryIntervalMs),
                Duration.ofMillis(Math.max(retryIntervalMs, maxBackoffSeconds * 1000)), jitter);
    }

    /**
     * The runtime retry schedule: a tenth of the deadline, doubling, at most half of it, with the jitter. So at
     * least two retries fit in the deadline (a tenth plus a fifth, even with full jitter) when attempts fail
     * fast, whatever the start-up interval: for a 3 s deadline 0.3 s, 0.6 s, 1.2 s; for 0.5 s, 50, 100, 200 ms.
     */
    public Backoff runtimeBackoff() {
        Duration first = Duration.ofMillis(Math.max(1, retryDeadlineMs / 10));
        Duration max = Duration.ofMillis(Math.max(first.toMillis(), retryDeadlineMs / 2));
        return new Backoff(first, max, jitter);
    }

    /**
     * The environment variable behind a setting, e.g. {@code DB_MAX_RETRIES} for {@code maxRetries}
     * ({@code jitter} is shared by every dependency: {@code RETRY_JITTER}).
     */
    public String envVar(String setting) {
        return envPrefix + "_" + setting.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        check(problems, maxRetries >= 0, "maxRetries", "must be 0 or more", maxRetries);
        check(problems, retryIntervalMs >= 1, "retryIntervalMs", "must be at least 1", retryIntervalMs);
        check(problems, maxBackoffSeconds >= 1, "maxBackoffSeconds", "must be at least 1", maxBackoffSeconds);
        if (!(jitter >= 0 && jitter <= 1)) {
            problems.add("jitter (RETRY_JITTER) must be between 0 and 1, got " + jitter);
        }
        check(problems, retryDeadlineMs >= 1, "retryDeadlineMs", "must be at least 1", retryDeadlineMs);
        check(problems, circuitFailureThreshold >= 1, "circuitFailureThreshold", "must be at least 1",
                circuitFailureThreshold);
        check(problems, circuitResetSeconds >= 1, "circuitResetSeconds", "must be at least 1", circuitResetSeconds);
        check(problems, probeIntervalMs >= 1 && probeIntervalMs <= Math.max(1, circuitResetSeconds) * 1000,
                "probeIntervalMs", "must be at least 1 and at most circuitResetSeconds × 1000", probeIntervalMs);
        check(problems, retryBudgetRatio >= 0 && retryBudgetRatio <= 1, "retryBudgetRatio", "must be between 0 and 1",
                retryBudgetRatio);
        check(problems, retryBudgetPerSecond >= 0, "retryBudgetPerSecond", "must be 0 or more", retryBudgetPerSecond);
        return problems;
    }

    private void check(List<String> problems, boolean valid, String setting, String rule, Object value) {
        if (!valid) {
            problems.add(setting + " (" + envVar(setting) + ") " + rule + ", got " + value);
        }
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
    public long getRetryIntervalMs() {
        return retryIntervalMs;
    }

    @JsonProperty
    public void setRetryIntervalMs(long retryIntervalMs) {
        this.retryIntervalMs = retryIntervalMs;
    }

    @JsonProperty
    public long getMaxBackoffSeconds() {
        return maxBackoffSeconds;
    }

    @JsonProperty
    public void setMaxBackoffSeconds(long maxBackoffSeconds) {
        this.maxBackoffSeconds = maxBackoffSeconds;
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
    public long getRetryDeadlineMs() {
        return retryDeadlineMs;
    }

    @JsonProperty
    public void setRetryDeadlineMs(long retryDeadlineMs) {
        this.retryDeadlineMs = retryDeadlineMs;
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
    public long getCircuitResetSeconds() {
        return circuitResetSeconds;
    }

    @JsonProperty
    public void setCircuitResetSeconds(long circuitResetSeconds) {
        this.circuitResetSeconds = circuitResetSeconds;
    }

    @JsonProperty
    public long getProbeIntervalMs() {
        return probeIntervalMs;
    }

    @JsonProperty
    public void setProbeIntervalMs(long probeIntervalMs) {
        this.probeIntervalMs = probeIntervalMs;
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

    /** Checks every setting at once and reports each problem as its own message. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = Validator.class)
    public @interface Valid {
        String message() default "invalid resilience settings";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** The validator behind {@link Valid}. */
    public static final class Validator implements ConstraintValidator<Valid, ResilienceConfig> {
        @Override
        public boolean isValid(ResilienceConfig config, ConstraintValidatorContext context) {
            List<String> problems = config.problems();
            if (problems.isEmpty()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            // Escaped: the messages are templates, and values could contain '{' or '$'.
            problems.forEach(p -> context.buildConstraintViolationWithTemplate(
                    p.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$"))
                    .addConstraintViolation());
            return false;
        }
    }
}
