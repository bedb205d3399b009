package dev.bulwark.gatling;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import java.time.Duration;

/**
 * A slow database under more concurrency than the pool has connections: {@code spikeLatencyMs} (200 ms)
 * on every database response for {@code faultFor}, while {@code 4 × dbPoolSize} writers (closed model:
 * each sends its next PUT as soon as the last one is answered) join the mixed load at {@code rate}
 * (gatling/run-ci gives half the knee {@link CapacitySimulation} measured). That is saturation, not an
 * outage, and the service must treat it so. Phases and assertions:
 *
 * <ul>
 *   <li>{@code warm-up}: {@code warmUp} seconds, not asserted, as in {@link DatabaseOutageSimulation}.</li>
 *   <li>{@code steady}: until 0.5 s before the spike; at least 99.9% OK.</li>
 *   <li>{@code onset}: the 0.5 s before the spike: a request still in flight when the latency begins may be
 *       refused; no KO (served, or a 503 with {@code Retry-After}).</li>
 *   <li>{@code spike}: no KO (served, or a 503 with {@code Retry-After}); goodput, the 2xx writes a
 *       second, at least {@value #GOODPUT_RATIO} × {@code dbPoolSize} / {@code spikeLatencyMs} (40/s for
 *       10 connections at 200 ms), so the pool stays busy with work that succeeds; the 503s' 99th
 *       percentile at most {@code refusalP99Ms}; no request slower than the retry deadline plus a tenth.</li>
 *   <li>{@code transition}: {@code recoveryWithinMs} (1 s) after the latency is removed; not asserted.</li>
 *   <li>{@code recovery}: at least 99.9% OK and a 99th percentile under {@code p99Ms}: the full rate is
 *       back, served as fast as before.</li>
 * </ul>
 *
 * The chaos user's probes prove that the breaker never opened (the admin port's
 * {@code database.breaker.opened} is the same at the start of recovery as before the spike, and the
 * breaker is CLOSED), that the toxic took effect (a write mid-spike is slowed by at least the latency,
 * or refused) and that the service is ready at the end.
 */
public class PoolExhaustionSimulation extends BulwarkSimulation {

    /** Writers per pooled connection during the spike. */
    static final int WRITERS_PER_CONNECTION = 4;

    /** The share of the pool's capacity ({@code dbPoolSize / spikeLatencyMs}) that must be goodput. */
    static final double GOODPUT_RATIO = 0.8;

    /**
     * How long a refused writer waits before its next PUT: the {@code Retry-After: 1} of an overload 503.
     * A client that asked again at once would send thousands of requests a second, and the run would
     * measure how fast this 2-core machine turns them away rather than what the pool gets done.
     */
    private static final Duration BACK_OFF = Duration.ofSeconds(1);

    private static final Duration GUARD = Duration.ofMillis(500);
    private static final String TOXIC = "gatling-spike";
    private static final String OPENED = "breakerOpenedBeforeSpike";

    {
        Duration halfSpike = config.faultFor().dividedBy(2);
        if (config.faultAt().compareTo(GUARD.plusSeconds(1)) < 0) {
            throw new IllegalArgumentException("-DfaultAt must be at least 2 s, got " + config.faultAt().toSeconds());
        }
        ChaosTimeline timeline = ChaosTimeline.builder()
                .phase("warm-up", config.warmUp(), false)
                .phase("steady", config.faultAt().minus(GUARD), false)
                .phase("onset", GUARD, true)
                .probe(Endpoints.breakerOpenings(config, OPENED))
                .act("add " + config.spikeLatency().toMillis() + " ms latency to proxy database",
                        proxies.addLatency(Proxies.DATABASE, TOXIC, config.spikeLatency()))
                .phase("spike", halfSpike, true)
                .probe(Journeys.probeItem(runPrefix).exec(Endpoints.putItemSlowed(config.spikeLatency())))
                .phase("spike", config.faultFor().minus(halfSpike), true)
                .act("remove the latency from proxy database", proxies.removeToxic(Proxies.DATABASE, TOXIC))
                .phase("transition", config.recoveryWithin(), true)
                .probe(Endpoints.breakerNotOpenedSince(config, OPENED))
                .phase("recovery", config.recoveryFor(), false)
                .probe(Endpoints.ready())
                .build(clock);
        Journeys journeys = new Journeys(runPrefix, timeline, recorder);

        int writers = WRITERS_PER_CONNECTION * config.dbPoolSize();
        double poolCapacity = config.dbPoolSize() * 1000.0 / config.spikeLatency().toMillis();
        double spikeSeconds = config.faultFor().toMillis() / 1000.0;
        System.out.println("[PoolExhaustionSimulation] " + writers + " writers during the spike, pool capacity "
                + poolCapacity + " round trips/s");

        setUp(
                load(journeys, timeline),
                // Not exitASAP: a writer finishes the write it started, so every write is counted.
                scenario("writers").during(config.faultFor(), false).on(journeys.writeBackingOff(BACK_OFF))
                        .injectOpen(nothingFor(config.warmUp().plus(config.faultAt())), atOnceUsers(writers)),
                chaos(timeline))
                .protocols(Endpoints.protocol(config))
                .assertions(
                        served("steady"),
                        details("onset").failedRequests().count().is(0L),
                        details("spike").failedRequests().count().is(0L),
                        // The service gives up at the deadline; the tenth on top is the answer's way back
                        // through a loaded machine, not a wait.
                        details("spike").responseTime().max().lt((int) (config.dbRetryDeadline().toMillis() * 11 / 10)),
                        served("recovery"),
                        details("recovery").responseTime().percentile(99.0).lt((int) config.p99().toMillis()),
                        probesPassed());
        expectAtLeast("spike: goodput (2xx writes/s)", GOODPUT_RATIO * poolCapacity,
                () -> recorder.summary("spike", outcome -> outcome.request().equals(Endpoints.PUT_ITEM) && outcome.served())
                        .ok() / spikeSeconds);
        expectAtMost("spike: 99th percentile of the 503s (ms)", config.refusalP99().toMillis(),
                () -> recorder.summary("spike", PhaseRecorder.Outcome::refused).p99());
    }
}
