package dev.bulwark.gatling;

import static io.gatling.javaapi.core.CoreDsl.details;

/**
 * Mixed reads and writes at a constant arrival rate with no fault. After {@code warmUp} seconds (not
 * asserted: the service's and Gatling's JVMs are still compiling their hot paths, which costs a few
 * hundred milliseconds on the first requests), {@code duration} seconds of {@code steady} with at least
 * 99.9% OK and a 99th percentile under {@code p99Ms}. Gatling's summary (and {@code gatling/run-ci}) print the throughput.
 */
public class SteadyStateSimulation extends BulwarkSimulation {

    {
        ChaosTimeline timeline = ChaosTimeline.builder()
                .phase("warm-up", config.warmUp(), false)
                .phase("steady", config.duration(), false)
                .build(clock);
        Journeys journeys = new Journeys(runPrefix, timeline, recorder);

        setUp(load(journeys, timeline))
                .protocols(Endpoints.protocol(config))
                .assertions(
                        served("steady"),
                        details("steady").responseTime().percentile(99.0).lt((int) config.p99().toMillis()));
    }
}
