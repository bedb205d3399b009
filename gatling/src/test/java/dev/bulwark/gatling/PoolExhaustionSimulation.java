package dev.bulwark.gatling;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import java.time.Duration;

/**
 * A latency spike on the database ({@code spikeLatencyMs} on every response, for {@code faultFor}) while
 * three times as many clients as the pool has connections ({@code 3 × dbPoolSize}, closed model) keep
 * sending requests, each pausing between journeys so that the offered rate is {@code rate} journeys a
 * second. Connections are held far longer than usual, so requests queue for the pool. Phases and
 * assertions:
 *
 * <ul>
 *   <li>{@code steady}: until the spike; at least 99.9% OK.</li>
 *   <li>{@code spike}: no KO (served, or a 503 with {@code Retry-After}), and no request slower than
 *       {@link LoadConfig#spikeBound()}: callers wait a bounded time or are refused, never hang.</li>
 *   <li>{@code transition}: {@code dbCircuitResetSeconds} + 2 s after the toxic is removed; not asserted.</li>
 *   <li>{@code recovery}: at least 99.9% OK.</li>
 * </ul>
 *
 * A probe in the middle of the spike proves the toxic took effect (a write is slowed by at least the
 * latency, or refused with 503).
 */
public class PoolExhaustionSimulation extends BulwarkSimulation {

    private static final String TOXIC = "gatling-spike";

    {
        Duration halfSpike = config.faultFor().dividedBy(2);
        ChaosTimeline timeline = ChaosTimeline.builder()
                .phase("steady", config.faultAt(), false)
                .act("add " + config.spikeLatency().toMillis() + " ms latency to proxy database",
                        proxies.addLatency(Proxies.DATABASE, TOXIC, config.spikeLatency()))
                .phase("spike", halfSpike, true)
                .probe(Journeys.probeItem(runPrefix).exec(Endpoints.putItemSlowed(config.spikeLatency())))
                .phase("spike", config.faultFor().minus(halfSpike), true)
                .act("remove the latency from proxy database", proxies.removeToxic(Proxies.DATABASE, TOXIC))
                .phase("transition", config.dbSettle(), true)
                .phase("recovery", config.recoveryFor(), false)
                .probe(Endpoints.ready())
                .build(clock);
        Journeys journeys = new Journeys(runPrefix, timeline, recorder);

        int clients = 3 * config.dbPoolSize();
        // Each client starts a journey every `pace`, so `clients` of them offer `rate` journeys a second.
        Duration pace = Duration.ofMillis(Math.round(clients * 1000 / config.rate()));
        System.out.println("[PoolExhaustionSimulation] " + clients + " clients, one journey every "
                + pace.toMillis() + " ms each");

        setUp(
                scenario("load").exec(journeys.mixed()).pause(pace)
                        .injectClosed(constantConcurrentUsers(clients).during(timeline.total())),
                chaos(timeline))
                .protocols(Endpoints.protocol(config))
                .assertions(
                        served("steady"),
                        details("spike").failedRequests().count().is(0L),
                        details("spike").responseTime().max().lt((int) config.spikeBound().toMillis()),
                        served("recovery"),
                        probesPassed());
    }
}
