package dev.bulwark.gatling;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;

import java.time.Duration;

/**
 * The redis proxy is disabled at {@code faultAt} for {@code faultFor}, under a constant arrival rate.
 * Redis is only a cache, so at least 99.9% of all requests must be OK over the whole run, a 503 never
 * being one of them. Phases ({@code steady}, {@code outage}, {@code transition} for
 * {@code redisCircuitResetSeconds} + 2 s, {@code recovery}) only label the report. The probes prove the
 * fault took effect (a read during the outage says {@code X-Cache: BYPASS}) and that caching resumes
 * afterwards (a read, then a second read of the same item says {@code HIT}).
 */
public class RedisOutageSimulation extends BulwarkSimulation {

    {
        Duration halfFault = config.faultFor().dividedBy(2);
        ChaosTimeline timeline = ChaosTimeline.builder()
                .probe(Journeys.probeItem(runPrefix).exec(Endpoints.putItemServed()))
                .phase("steady", config.faultAt(), false)
                .act("disable proxy redis", proxies.disable(Proxies.REDIS))
                .phase("outage", halfFault, false)
                .probe(Endpoints.getItemWithCache("BYPASS"))
                .phase("outage", config.faultFor().minus(halfFault), false)
                .act("enable proxy redis", proxies.enable(Proxies.REDIS))
                .phase("transition", config.redisSettle(), false)
                .phase("recovery", config.recoveryFor(), false)
                .probe(exec(Endpoints.getItemWithCache("MISS")).exec(Endpoints.getItemWithCache("HIT")))
                .build(clock);
        Journeys journeys = new Journeys(runPrefix, timeline, recorder);

        setUp(load(journeys, timeline), chaos(timeline))
                .protocols(Endpoints.protocol(config))
                .assertions(
                        global().successfulRequests().percent().gte(99.9),
                        probesPassed());
    }
}
