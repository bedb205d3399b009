package dev.bulwark.gatling;

import static io.gatling.javaapi.core.CoreDsl.details;

import java.time.Duration;

/**
 * The database proxy is disabled at {@code faultAt} for {@code faultFor}, under a constant arrival rate
 * ({@code rate}; gatling/run-ci gives half the knee {@link CapacitySimulation} measured). Requests are
 * grouped by the phase they start in:
 *
 * <ul>
 *   <li>{@code warm-up}: {@code warmUp} seconds, not asserted. The run starts at a rate several times that of
 *       SteadyStateSimulation, and this machine's cores are shared with Gatling's own JVM, which compiles its
 *       hot paths in these seconds; the service's concurrency limit may sit at its minimum after
 *       CapacitySimulation, so a stall of the shared cores here is refused with 503s that say nothing
 *       about the fault.</li>
 *   <li>{@code steady}: until 0.5 s before the fault; at least 99.9% OK.</li>
 *   <li>{@code onset}: from 0.5 s before the fault until the breaker has surely opened
 *       ({@code dbRetryDeadlineMs} + 1 s after it): the first calls retry until the deadline, and a
 *       request in flight when the proxy goes away may be refused. Every answer must be served or a 503
 *       with {@code Retry-After} (no KO); latency is not asserted.</li>
 *   <li>{@code outage}: until the proxy is enabled again. No KO (served, or a 503 with
 *       {@code Retry-After}: a 500, a missing header or a request over 10 s is KO), and a 99th
 *       percentile under {@code refusalP99Ms} (a tenth of the retry deadline): refused fast, not hung.</li>
 *   <li>{@code transition}: {@code recoveryWithinMs} (1 s) after the enable; not asserted. The breaker's
 *       prober finds the database back and closes it, whatever its reset time.</li>
 *   <li>{@code recovery}: {@code recoveryFor} seconds; at least 99.9% OK.</li>
 * </ul>
 *
 * The chaos user's probes prove the fault took effect (a write during the outage is refused with 503)
 * and that the service reports ready at the end.
 *
 * <p>Its purpose is what users of a loaded service see during a database outage: it owns the availability
 * (OK ratios before and after, no KO during) and the outage's 99th percentile at load near capacity, with the
 * service's default database settings (gatling/run-ci: pool 10, 3 s retry deadline, 60 s reset time). It
 * does not judge what was written, nor one answer's body: the ledger under a matrix of faults is
 * {@code DatabaseChaosIT}'s (chaos-tests), the 503's body and readiness and liveness are
 * {@code DatabaseOutageIT}'s (service).
 */
public class DatabaseOutageSimulation extends BulwarkSimulation {

    private static final Duration GUARD = Duration.ofMillis(500);

    {
        if (config.faultFor().compareTo(config.dbOnset().plusSeconds(1)) < 0) {
            throw new IllegalArgumentException("-DfaultFor (" + config.faultFor().toSeconds()
                    + " s) must be at least dbRetryDeadlineMs + 2 s (" + config.dbOnset().plusSeconds(1).toMillis()
                    + " ms), so the outage phase outlasts the breaker's opening");
        }
        if (config.faultAt().compareTo(GUARD.plusSeconds(1)) < 0) {
            throw new IllegalArgumentException("-DfaultAt must be at least 2 s, got " + config.faultAt().toSeconds());
        }
        ChaosTimeline timeline = ChaosTimeline.builder()
                .phase("warm-up", config.warmUp(), false)
                .phase("steady", config.faultAt().minus(GUARD), false)
                .phase("onset", GUARD, true)
                .act("disable proxy database", proxies.disable(Proxies.DATABASE))
                .phase("onset", config.dbOnset(), true)
                .probe(Journeys.probeItem(runPrefix).exec(Endpoints.putItemRefused()))
                .phase("outage", config.faultFor().minus(config.dbOnset()), true)
                .act("enable proxy database", proxies.enable(Proxies.DATABASE))
                .phase("transition", config.recoveryWithin(), true)
                .phase("recovery", config.recoveryFor(), false)
                .probe(Endpoints.ready())
                .build(clock);
        Journeys journeys = new Journeys(runPrefix, timeline, recorder);

        setUp(load(journeys, timeline), chaos(timeline))
                .protocols(Endpoints.protocol(config))
                .assertions(
                        served("steady"),
                        details("onset").failedRequests().count().is(0L),
                        details("outage").failedRequests().count().is(0L),
                        details("outage").responseTime().percentile(99.0).lt((int) config.refusalP99().toMillis()),
                        served("recovery"),
                        probesPassed());
    }
}
