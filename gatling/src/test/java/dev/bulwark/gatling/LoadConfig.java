package dev.bulwark.gatling;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every parameter of the simulations, read from system properties ({@code -Dname=value}) once, when a
 * simulation is built. The profile picks the defaults; a property given explicitly wins over it.
 *
 * <table>
 *   <caption>Properties and defaults (ci / full)</caption>
 *   <tr><th>Property</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@code profile}</td><td>{@code ci}</td><td>{@code ci} (short runs) or {@code full} (long runs)</td></tr>
 *   <tr><td>{@code baseUrl}</td><td>http://127.0.0.1:8080</td><td>the service's application port</td></tr>
 *   <tr><td>{@code adminUrl}</td><td>http://127.0.0.1:8081</td><td>the service's admin port ({@code /pool-stats})</td></tr>
 *   <tr><td>{@code toxiproxyUrl}</td><td>http://127.0.0.1:8474</td><td>Toxiproxy's API, with proxies {@code database} and {@code redis}</td></tr>
 *   <tr><td>{@code rate}</td><td>30 / 40</td><td>journeys started per second (about 1.4 requests each)</td></tr>
 *   <tr><td>{@code warmUp}</td><td>5 / 10</td><td>seconds of unasserted load before the measured part of {@code SteadyStateSimulation} and {@code CapacitySimulation}</td></tr>
 *   <tr><td>{@code duration}</td><td>30 / 120</td><td>seconds of measured load of {@code SteadyStateSimulation}</td></tr>
 *   <tr><td>{@code faultAt}</td><td>10 / 20</td><td>seconds of steady load before the fault is injected</td></tr>
 *   <tr><td>{@code faultFor}</td><td>10 / 15</td><td>seconds the fault lasts</td></tr>
 *   <tr><td>{@code recoveryWithinMs}</td><td>1000</td><td>how soon after a database fault clears the recovery phase starts</td></tr>
 *   <tr><td>{@code recoveryFor}</td><td>10 / 30</td><td>seconds of load in the asserted recovery phase</td></tr>
 *   <tr><td>{@code dbRetryDeadlineMs}</td><td>3000</td><td>the service's {@code DB_RETRY_DEADLINE_MS}</td></tr>
 *   <tr><td>{@code dbPoolSize}</td><td>10</td><td>the service's {@code DB_POOL_SIZE}</td></tr>
 *   <tr><td>{@code redisCircuitResetSeconds}</td><td>30</td><td>the service's {@code REDIS_CIRCUIT_RESET_SECONDS}</td></tr>
 *   <tr><td>{@code spikeLatencyMs}</td><td>200</td><td>latency added to every database response during the pool-exhaustion spike</td></tr>
 *   <tr><td>{@code p99Ms}</td><td>250</td><td>bound on the 99th percentile of served load (steady state, each capacity level, recovery from the spike)</td></tr>
 *   <tr><td>{@code refusalP99Ms}</td><td>a tenth of {@code dbRetryDeadlineMs}</td><td>bound on the 99th percentile of refusals: the database outage, and the 503s of the spike</td></tr>
 *   <tr><td>{@code capacityFrom}</td><td>50</td><td>journeys per second of the capacity ramp's first level</td></tr>
 *   <tr><td>{@code capacityStepPercent}</td><td>30</td><td>how much faster each capacity level is than the one before</td></tr>
 *   <tr><td>{@code capacityLevels}</td><td>14 / 18</td><td>the most capacity levels (1 to 40)</td></tr>
 *   <tr><td>{@code capacityLevelSeconds}</td><td>5 / 15</td><td>seconds of each capacity level</td></tr>
 *   <tr><td>{@code kneeFile}</td><td>{@code target/capacity.properties}</td><td>where {@code CapacitySimulation} writes the knee</td></tr>
 * </table>
 *
 * <p>The {@code db*} and {@code redis*} properties describe the service under test: give the values it runs with, so the timeline
 * and the bounds match its configuration (the defaults are those of {@code service/config.yml}).
 * A bad value fails at once with an {@link IllegalArgumentException} naming the property and the
 * value. Immutable and thread-safe.
 */
public final class LoadConfig {

    /** How long a run is: {@code ci} is short enough for every commit, {@code full} gives steadier figures. */
    public enum Profile {
        CI(30, 5, 30, 10, 10, 10, 14, 5),
        FULL(40, 10, 120, 20, 15, 30, 18, 15);

        final double rate;
        final long warmUpSeconds;
        final long durationSeconds;
        final long faultAtSeconds;
        final long faultForSeconds;
        final long recoveryForSeconds;
        final long capacityLevels;
        final long capacityLevelSeconds;

        Profile(double rate, long warmUpSeconds, long durationSeconds, long faultAtSeconds, long faultForSeconds,
                long recoveryForSeconds, long capacityLevels, long capacityLevelSeconds) {
            this.rate = rate;
            this.warmUpSeconds = warmUpSeconds;
            this.durationSeconds = durationSeconds;
            this.faultAtSeconds = faultAtSeconds;
            this.faultForSeconds = faultForSeconds;
            this.recoveryForSeconds = recoveryForSeconds;
            this.capacityLevels = capacityLevels;
            this.capacityLevelSeconds = capacityLevelSeconds;
        }
    }

    /** The most levels a capacity ramp may have: bounds its length and its highest rate. */
    static final int MAX_CAPACITY_LEVELS = 40;

    private final Profile profile;
    private final URI baseUrl;
    private final URI adminUrl;
    private final URI toxiproxyUrl;
    private final double rate;
    private final Duration warmUp;
    private final Duration duration;
    private final Duration faultAt;
    private final Duration faultFor;
    private final Duration recoveryWithin;
    private final Duration recoveryFor;
    private final Duration dbRetryDeadline;
    private final int dbPoolSize;
    private final Duration redisCircuitReset;
    private final Duration spikeLatency;
    private final Duration p99;
    private final Duration refusalP99;
    private final Ramp capacityRamp;
    private final Path kneeFile;

    private LoadConfig(Function<String, String> properties) {
        PropertyReader in = new PropertyReader(properties);
        profile = in.profile("profile");
        baseUrl = in.url("baseUrl", "http://127.0.0.1:8080");
        adminUrl = in.url("adminUrl", "http://127.0.0.1:8081");
        toxiproxyUrl = in.url("toxiproxyUrl", "http://127.0.0.1:8474");
        rate = in.positiveNumber("rate", profile.rate);
        warmUp = Duration.ofSeconds(in.positiveInteger("warmUp", profile.warmUpSeconds));
        duration = Duration.ofSeconds(in.positiveInteger("duration", profile.durationSeconds));
        faultAt = Duration.ofSeconds(in.positiveInteger("faultAt", profile.faultAtSeconds));
        faultFor = Duration.ofSeconds(in.positiveInteger("faultFor", profile.faultForSeconds));
        recoveryWithin = Duration.ofMillis(in.positiveInteger("recoveryWithinMs", 1000));
        recoveryFor = Duration.ofSeconds(in.positiveInteger("recoveryFor", profile.recoveryForSeconds));
        dbRetryDeadline = Duration.ofMillis(in.positiveInteger("dbRetryDeadlineMs", 3000));
        dbPoolSize = Math.toIntExact(in.positiveInteger("dbPoolSize", 10));
        redisCircuitReset = Duration.ofSeconds(in.positiveInteger("redisCircuitResetSeconds", 30));
        spikeLatency = Duration.ofMillis(in.positiveInteger("spikeLatencyMs", 200));
        p99 = Duration.ofMillis(in.positiveInteger("p99Ms", 250));
        refusalP99 = Duration.ofMillis(in.positiveInteger("refusalP99Ms", Math.max(1, dbRetryDeadline.toMillis() / 10)));
        capacityRamp = new Ramp(
                in.positiveNumber("capacityFrom", 50),
                Math.toIntExact(in.integerBetween("capacityStepPercent", 30, 1, 1000)),
                Math.toIntExact(in.integerBetween("capacityLevels", profile.capacityLevels, 1, MAX_CAPACITY_LEVELS)),
                Duration.ofSeconds(in.integerBetween("capacityLevelSeconds", profile.capacityLevelSeconds, 2, 600)));
        kneeFile = path(in, "kneeFile", "target/capacity.properties");
    }

    /** The configuration from this JVM's system properties. */
    public static LoadConfig fromSystemProperties() {
        return from(System::getProperty);
    }

    /** The configuration from {@code properties} (name to value, null when unset). */
    public static LoadConfig from(Function<String, String> properties) {
        return new LoadConfig(properties);
    }

    public Profile profile() {
        return profile;
    }

    /** The service's application port, without a trailing slash. */
    public String baseUrl() {
        return withoutTrailingSlash(baseUrl);
    }

    /** The service's admin port, without a trailing slash. */
    public String adminUrl() {
        return withoutTrailingSlash(adminUrl);
    }

    public String toxiproxyHost() {
        return toxiproxyUrl.getHost();
    }

    public int toxiproxyPort() {
        return toxiproxyUrl.getPort() == -1 ? 8474 : toxiproxyUrl.getPort();
    }

    public String toxiproxyUrl() {
        return withoutTrailingSlash(toxiproxyUrl);
    }

    /** Journeys started per second. */
    public double rate() {
        return rate;
    }

    /** Unasserted load before the steady-state run's measured part: both JVMs compile their hot paths. */
    public Duration warmUp() {
        return warmUp;
    }

    /** Length of the steady-state run's measured part. */
    public Duration duration() {
        return duration;
    }

    /** Steady load before a fault. */
    public Duration faultAt() {
        return faultAt;
    }

    /** How long a fault lasts. */
    public Duration faultFor() {
        return faultFor;
    }

    /**
     * How soon after a database fault clears the service must serve everything again: the asserted
     * recovery phase starts then. With probe-driven breakers this does not depend on the reset time.
     */
    public Duration recoveryWithin() {
        return recoveryWithin;
    }

    /** Length of the asserted recovery phase. */
    public Duration recoveryFor() {
        return recoveryFor;
    }

    /** The service's per-call bound on database retries. */
    public Duration dbRetryDeadline() {
        return dbRetryDeadline;
    }

    public int dbPoolSize() {
        return dbPoolSize;
    }

    /** How long the service's Redis breaker stays open before its probe call. */
    public Duration redisCircuitReset() {
        return redisCircuitReset;
    }

    public Duration spikeLatency() {
        return spikeLatency;
    }

    /** Bound on the steady-state 99th percentile. */
    public Duration p99() {
        return p99;
    }

    /**
     * Bound on the 99th percentile of refusals (a 503 while the database is down, or while it is
     * saturated): a tenth of the retry deadline unless set. A refusal exists to spare the client the wait
     * for the deadline, so it is bounded relative to that wait, not by an absolute figure that a loaded
     * 2-core machine misses; the measured figures are in docs/load-testing.md.
     */
    public Duration refusalP99() {
        return refusalP99;
    }

    /** The levels {@code CapacitySimulation} climbs. */
    public Ramp capacityRamp() {
        return capacityRamp;
    }

    /** Where {@code CapacitySimulation} writes the knee ({@code knee=...} and the rates, a properties file). */
    public Path kneeFile() {
        return kneeFile;
    }

    /** After Redis comes back, how long until it is used again: its breaker's reset time, plus 2 s. */
    public Duration redisSettle() {
        return redisCircuitReset.plusSeconds(2);
    }

    /**
     * After the database goes away, how long until the breaker has surely opened: the first calls each
     * retry until the deadline before they count as failures, plus 1 s of margin. Requests started in
     * that window may legitimately take up to the deadline.
     */
    public Duration dbOnset() {
        return dbRetryDeadline.plusSeconds(1);
    }

    /** One line for the log: every setting, no secrets (there are none here). */
    public String describe() {
        return String.format(Locale.ROOT,
                "profile=%s baseUrl=%s adminUrl=%s toxiproxyUrl=%s rate=%.1f/s warmUp=%ds duration=%ds faultAt=%ds faultFor=%ds"
                        + " recoveryWithinMs=%d recoveryFor=%ds dbRetryDeadlineMs=%d dbPoolSize=%d redisCircuitResetSeconds=%d"
                        + " spikeLatencyMs=%d p99Ms=%d refusalP99Ms=%d capacityFrom=%.1f/s capacityStepPercent=%d"
                        + " capacityLevels=%d capacityLevelSeconds=%d",
                profile.name().toLowerCase(Locale.ROOT), baseUrl(), adminUrl(), toxiproxyUrl(), rate, warmUp.toSeconds(),
                duration.toSeconds(), faultAt.toSeconds(), faultFor.toSeconds(), recoveryWithin.toMillis(),
                recoveryFor.toSeconds(), dbRetryDeadline.toMillis(), dbPoolSize, redisCircuitReset.toSeconds(),
                spikeLatency.toMillis(), p99.toMillis(), refusalP99.toMillis(), capacityRamp.startRate(),
                capacityRamp.stepPercent(), capacityRamp.levels(), capacityRamp.levelLength().toSeconds());
    }

    private static Path path(PropertyReader in, String name, String defaultValue) {
        String value = in.text(name, defaultValue);
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw PropertyReader.bad(name, value, "must be a file path");
        }
    }

    private static String withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
