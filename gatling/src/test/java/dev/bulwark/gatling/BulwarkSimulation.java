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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * What every Bulwark simulation shares: its {@link LoadConfig}, the {@link Proxies} (reset before the
 * run and after it, whatever the outcome), a per-run id prefix, a {@link PhaseRecorder} for the load's
 * outcomes, and the two populations: the load (open model: {@code rate} journeys a second for the
 * timeline's length) and the one chaos user that walks the timeline. A subclass lays out its timeline
 * and assertions in its constructor; what Gatling's assertions cannot express (a rate over one phase,
 * the latency of refusals only) it states with {@link #expectAtLeast} and {@link #expectAtMost}, checked
 * from the recorder once the run is over. A Toxiproxy change that fails, or such an expectation that is
 * missed, crashes the run at its end (non-zero exit), after the proxies are reset.
 */
abstract class BulwarkSimulation extends Simulation {

    protected final LoadConfig config = LoadConfig.fromSystemProperties();
    protected final Proxies proxies = Proxies.connect(config);
    protected final String runPrefix = Journeys.runPrefix();
    protected final Clock clock = Clock.systemUTC();
    protected final PhaseRecorder recorder = new PhaseRecorder();
    private final List<Expectation> expectations = new ArrayList<>();
    private ChaosTimeline timeline;

    /** A bound on a figure computed from the recorder after the run. */
    private record Expectation(String what, boolean atLeast, double bound, DoubleSupplier actual) {

        /** One line in the format of Gatling's own assertion results, so gatling/run-ci shows it likewise. */
        String check(List<String> missed) {
            double value = actual.getAsDouble();
            boolean met = atLeast ? value >= bound : value <= bound;
            String line = String.format(Locale.ROOT, "%s is %s %.1f : %s (actual : %.1f)",
                    what, atLeast ? "at least" : "at most", bound, met, value);
            if (!met) {
                missed.add(line);
            }
            return line;
        }
    }

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
        // Gatling prints no statistics for a run that fails here, so the recorder's come first.
        for (String phase : recorder.phases()) {
            PhaseRecorder.Summary summary = recorder.summary(phase);
            System.out.println(String.format(Locale.ROOT, "[%s] %s: %d requests, %d KO, p99 %s, max %s",
                    getClass().getSimpleName(), phase, summary.count(), summary.failed(),
                    millis(summary.p99()), millis(summary.max())));
            if (summary.failed() > 0) {
                System.out.println(String.format(Locale.ROOT, "[%s] %s: KO answers: %s",
                        getClass().getSimpleName(), phase, recorder.failures(phase)));
            }
        }
        if (timeline != null && !timeline.failures().isEmpty()) {
            // The fault was not injected as planned, so passing assertions would prove nothing: crash the run.
            throw new IllegalStateException("chaos steps failed: " + String.join("; ", timeline.failures()));
        }
        List<String> missed = new ArrayList<>();
        for (Expectation expectation : expectations) {
            System.out.println(expectation.check(missed));
        }
        if (!missed.isEmpty()) {
            throw new IllegalStateException("expectations missed: " + String.join("; ", missed));
        }
    }

    private static String millis(long value) {
        return value == Long.MAX_VALUE ? "unanswered" : value + " ms";
    }

    /** After the run, {@code actual} (from the recorder) must be at least {@code bound}; {@code what} names it. */
    protected void expectAtLeast(String what, double bound, DoubleSupplier actual) {
        expectations.add(new Expectation(what, true, bound, actual));
    }

    /** After the run, {@code actual} (from the recorder) must be at most {@code bound}; {@code what} names it. */
    protected void expectAtMost(String what, double bound, DoubleSupplier actual) {
        expectations.add(new Expectation(what, false, bound, actual));
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
