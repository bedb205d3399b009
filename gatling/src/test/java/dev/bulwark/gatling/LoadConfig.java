package dev.bulwark.gatling;

import java.net.URI;
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
 *   <tr><td>{@code toxiproxyUrl}</td><td>http://127.0.0.1:8474</td><td>Toxiproxy's API, with proxies {@code database} and {@code redis}</td></tr>
 *   <tr><td>{@code rate}</td><td>30 / 40</td><td>journeys started per second (about 1.4 requests each)</td></tr>
 *   <tr><td>{@code warmUp}</td><td>5 / 10</td><td>seconds of unasserted load before {@code SteadyStateSimulation}'s measured run</td></tr>
 *   <tr><td>{@code duration}</td><td>30 / 120</td><td>seconds of measured load of {@code SteadyStateSimulation}</td></tr>
 *   <tr><td>{@code faultAt}</td><td>10 / 20</td><td>seconds of steady load before the fault is injected</td></tr>
 *   <tr><td>{@code faultFor}</td><td>10 / 15</td><td>seconds the fault lasts</td></tr>
 *   <tr><td>{@code recoveryFor}</td><td>10 / 30</td><td>seconds of load in the asserted recovery phase</td></tr>
 *   <tr><td>{@code dbCircuitResetSeconds}</td><td>60</td><td>the service's {@code DB_CIRCUIT_RESET_SECONDS}</td></tr>
 *   <tr><td>{@code dbRetryDeadlineMs}</td><td>3000</td><td>the service's {@code DB_RETRY_DEADLINE_MS}</td></tr>
 *   <tr><td>{@code dbPoolSize}</td><td>10</td><td>the service's {@code DB_POOL_SIZE}</td></tr>
 *   <tr><td>{@code redisCircuitResetSeconds}</td><td>30</td><td>the service's {@code REDIS_CIRCUIT_RESET_SECONDS}</td></tr>
 *   <tr><td>{@code spikeLatencyMs}</td><td>500</td><td>latency added to every database response during the pool-exhaustion spike</td></tr>
 *   <tr><td>{@code p99Ms}</td><td>250</td><td>bound on the 99th percentile of the steady-state run</td></tr>
 *   <tr><td>{@code outageP99Ms}</td><td>50</td><td>bound on the 99th percentile while the database is down and the breaker open</td></tr>
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
        CI(30, 5, 30, 10, 10, 10),
        FULL(40, 10, 120, 20, 15, 30);

        final double rate;
        final long warmUpSeconds;
        final long durationSeconds;
        final long faultAtSeconds;
        final long faultForSeconds;
        final long recoveryForSeconds;

        Profile(double rate, long warmUpSeconds, long durationSeconds, long faultAtSeconds, long faultForSeconds, long recoveryForSeconds) {
            this.rate = rate;
            this.warmUpSeconds = warmUpSeconds;
            this.durationSeconds = durationSeconds;
            this.faultAtSeconds = faultAtSeconds;
            this.faultForSeconds = faultForSeconds;
            this.recoveryForSeconds = recoveryForSeconds;
        }
    }

    private final Profile profile;
    private final URI baseUrl;
    private final URI toxiproxyUrl;
    private final double rate;
    private final Duration warmUp;
    private final Duration duration;
    private final Duration faultAt;
    private final Duration faultFor;
    private final Duration recoveryFor;
    private final Duration dbCircuitReset;
    private final Duration dbRetryDeadline;
    private final int dbPoolSize;
    private final Duration redisCircuitReset;
    private final Duration spikeLatency;
    private final Duration p99;
    private final Duration outageP99;

    private LoadConfig(Function<String, String> properties) {
        PropertyReader in = new PropertyReader(properties);
        profile = in.profile("profile");
        baseUrl = in.url("baseUrl", "http://127.0.0.1:8080");
        toxiproxyUrl = in.url("toxiproxyUrl", "http://127.0.0.1:8474");
        rate = in.positiveNumber("rate", profile.rate);
        warmUp = Duration.ofSeconds(in.positiveInteger("warmUp", profile.warmUpSeconds));
        duration = Duration.ofSeconds(in.positiveInteger("duration", profile.durationSeconds));
        faultAt = Duration.ofSeconds(in.positiveInteger("faultAt", profile.faultAtSeconds));
        faultFor = Duration.ofSeconds(in.positiveInteger("faultFor", profile.faultForSeconds));
        recoveryFor = Duration.ofSeconds(in.positiveInteger("recoveryFor", profile.recoveryForSeconds));
        dbCircuitReset = Duration.ofSeconds(in.positiveInteger("dbCircuitResetSeconds", 60));
        dbRetryDeadline = Duration.ofMillis(in.positiveInteger("dbRetryDeadlineMs", 3000));
        dbPoolSize = Math.toIntExact(in.positiveInteger("dbPoolSize", 10));
        redisCircuitReset = Duration.ofSeconds(in.positiveInteger("redisCircuitResetSeconds", 30));
        spikeLatency = Duration.ofMillis(in.positiveInteger("spikeLatencyMs", 500));
        p99 = Duration.ofMillis(in.positiveInteger("p99Ms", 250));
        outageP99 = Duration.ofMillis(in.positiveInteger("outageP99Ms", 50));
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

    /** Length of the asserted recovery phase. */
    public Duration recoveryFor() {
        return recoveryFor;
    }

    /** How long the service's database breaker stays open before its probe call. */
    public Duration dbCircuitReset() {
        return dbCircuitReset;
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

    /** Bound on the 99th percentile while the database is down and its breaker open. */
    public Duration outageP99() {
        return outageP99;
    }

    /**
     * The longest a request may take during the pool-exhaustion spike: the retry deadline, plus one last
     * attempt's wait for a pooled connection (2 s, {@code maxWaitForConnection} in config.yml), plus four
     * round trips at the spike's latency (validating the connection, the statement, and the two of a
     * write's transaction), plus 1 s of margin.
     */
    public Duration spikeBound() {
        return dbRetryDeadline.plusSeconds(2).plus(spikeLatency.multipliedBy(4)).plusSeconds(1);
    }

    /** After Redis comes back, how long until it is used again: its breaker's reset time, plus 2 s. */
    public Duration redisSettle() {
        return redisCircuitReset.plusSeconds(2);
    }

    /**
     * After a database fault ends, how long until the service must serve everything again: the breaker
     * may have opened just before, so it stays open for its reset time; then 2 s of margin for the probe
     * call and the pool's fresh connections.
     */
    public Duration dbSettle() {
        return dbCircuitReset.plusSeconds(2);
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
                "profile=%s baseUrl=%s toxiproxyUrl=%s rate=%.1f/s warmUp=%ds duration=%ds faultAt=%ds faultFor=%ds recoveryFor=%ds"
                        + " dbCircuitResetSeconds=%d dbRetryDeadlineMs=%d dbPoolSize=%d redisCircuitResetSeconds=%d"
                        + " spikeLatencyMs=%d p99Ms=%d outageP99Ms=%d",
                profile.name().toLowerCase(Locale.ROOT), baseUrl(), toxiproxyUrl(), rate, warmUp.toSeconds(), duration.toSeconds(),
                faultAt.toSeconds(), faultFor.toSeconds(), recoveryFor.toSeconds(), dbCircuitReset.toSeconds(),
                dbRetryDeadline.toMillis(), dbPoolSize, redisCircuitReset.toSeconds(), spikeLatency.toMillis(),
                p99.toMillis(), outageP99.toMillis());
    }

    private static String withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
