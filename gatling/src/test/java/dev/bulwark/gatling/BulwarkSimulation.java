package dev.bulwark.gatling;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;

/**
 * What every Bulwark simulation shares: its {@link LoadConfig}, the {@link Proxies} (reset before the
 * run and after it, whatever the outcome), a per-run id prefix, and the two populations: the load
 * (open model: {@code rate} journeys a second for the timeline's length) and the one chaos user that
 * walks the timeline. A subclass lays out its timeline and assertions in its constructor. A Toxiproxy
 * change that fails crashes the run at its end (non-zero exit), after the proxies are reset.
 */
abstract class BulwarkSimulation extends Simulation {

    protected final LoadConfig config = LoadConfig.fromSystemProperties();
    protected final Proxies proxies = Proxies.connect(config);
    protected final String runPrefix = Journeys.runPrefix();
    protected final Clock clock = Clock.systemUTC();
    private ChaosTimeline timeline;

    @Override
    public void before() {
        System.out.println("[" + getClass().getSimpleName() + "] " + config.describe() + " idPrefix=" + runPrefix);
        try {
            proxies.reset();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the proxies before the run: " + e.getMessage(), e);
        }
    }

    @Override
    public void after() {
        proxies.resetQuietly();
        if (timeline != null && !timeline.failures().isEmpty()) {
            // The fault was not injected as planned, so passing assertions would prove nothing: crash the run.
            throw new IllegalStateException("chaos steps failed: " + String.join("; ", timeline.failures()));
        }
    }

    /** The load: {@code rate} mixed journeys started every second for the whole timeline. */
    protected PopulationBuilder load(Journeys journeys, ChaosTimeline timeline) {
        return scenario("load").exec(journeys.mixed())
                .injectOpen(constantUsersPerSec(config.rate()).during(timeline.total()));
    }

    /**
     * The one user that makes the timeline's Toxiproxy changes and sends its probes. When one of the
     * changes failed, {@link #after()} fails the run.
     */
    protected PopulationBuilder chaos(ChaosTimeline timeline) {
        this.timeline = timeline;
        return scenario("chaos").exec(timeline.chaos()).injectOpen(atOnceUsers(1));
    }

    /** At least 99.9% of the phase's requests OK. */
    protected static Assertion served(String phase) {
        return details(phase).successfulRequests().percent().gte(99.9);
    }

    /** Every probe of the chaos user passed: the faults took effect and the service came back. */
    protected static Assertion probesPassed() {
        return details(ChaosTimeline.PROBES).failedRequests().count().is(0L);
    }
}
