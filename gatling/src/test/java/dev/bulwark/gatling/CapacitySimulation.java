package dev.bulwark.gatling;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stopLoadGeneratorIf;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the knee: the mixed journey at an open arrival rate that climbs {@link LoadConfig#capacityRamp()}
 * level by level (after {@code warmUp} seconds at the first level's rate, not measured), until two levels
 * in a row miss a bound: a 99th percentile over {@code p99Ms}, or more than 0.1% of requests failed. The
 * knee is the highest level that met both before that ({@link CapacityReport}), in requests a second: one
 * line {@code [CapacitySimulation] knee: ...}, and the file {@code kneeFile} ({@code knee=620},
 * {@code kneeRate=443.1}) that gatling/run-ci reads to load the fault simulations at a share of it.
 *
 * <p>A watcher judges each level {@code p99Ms} + 1 s after it ends (a request still unanswered by then is
 * slower than the bound) and stops the run after the second miss in a row, so the service spends about
 * two levels past its knee. The ramp is bounded in levels ({@code capacityLevels}, at most 40) and in
 * time: ci takes at most {@code warmUp} + 14 × 5 s, 75 s. The run fails when no level met both bounds.
 * No fault is injected.
 */
public class CapacitySimulation extends BulwarkSimulation {

    private final Ramp ramp = config.capacityRamp();
    private final ChaosTimeline timeline;

    {
        ChaosTimeline.Builder phases = ChaosTimeline.builder().phase("warm-up", config.warmUp(), false);
        List<OpenInjectionStep> injection = new ArrayList<>();
        injection.add(constantUsersPerSec(ramp.rate(1)).during(config.warmUp()));
        for (int level = 1; level <= ramp.levels(); level++) {
            phases.phase(levelName(level), ramp.levelLength(), false);
            injection.add(constantUsersPerSec(ramp.rate(level)).during(ramp.levelLength()));
        }
        timeline = phases.build(clock);
        Journeys journeys = new Journeys(runPrefix, timeline, recorder);

        setUp(
                scenario("load").exec(journeys.mixed()).injectOpen(injection),
                scenario("watcher").exec(watcher()).injectOpen(atOnceUsers(1)))
                .protocols(Endpoints.protocol(config))
                // A bound on the run whatever happens: every level, the last verdict, and the slowest answer.
                .maxDuration(timeline.total().plus(settle()).plus(Endpoints.REQUEST_TIMEOUT));
    }

    @Override
    public void after() {
        super.after();
        CapacityReport report = report();
        report.levelLines().forEach(line -> System.out.println("[CapacitySimulation] " + line));
        System.out.println("[CapacitySimulation] " + report.kneeLine());
        write(config.kneeFile(), report.properties());
        if (report.knee().isEmpty()) {
            throw new IllegalStateException("no capacity level met p99 <= " + config.p99().toMillis()
                    + " ms and errors <= " + CapacityReport.MAX_FAILED_PERCENT + "%: " + report.kneeLine());
        }
    }

    /** After each level, once its requests had {@link #settle()} to finish: stop when it and the one before missed. */
    private ChainBuilder watcher() {
        ChainBuilder chain = exec(session -> session);
        for (int level = 2; level <= ramp.levels(); level++) {
            int judged = level;
            chain = chain.exec(timeline.waitUntil(phase(level).end().plus(settle())))
                    .exec(stopLoadGeneratorIf(
                            session -> "levels " + (judged - 1) + " and " + judged + " missed the bounds: past the knee",
                            session -> CapacityReport.pastTheKnee(List.of(measured(judged - 1), measured(judged)), config.p99())));
        }
        return chain;
    }

    /** The levels that ran to their end, measured now. */
    private CapacityReport report() {
        List<CapacityReport.Level> levels = new ArrayList<>();
        Duration now = timeline.elapsed();
        for (int level = 1; level <= ramp.levels() && phase(level).end().compareTo(now) <= 0; level++) {
            levels.add(measured(level));
        }
        return new CapacityReport(levels, ramp.levels(), config.p99());
    }

    private CapacityReport.Level measured(int level) {
        return new CapacityReport.Level(level, ramp.rate(level), ramp.levelLength(), recorder.summary(levelName(level)));
    }

    /** How long after a level its verdict waits: a request unanswered by then is slower than {@code p99Ms}. */
    private Duration settle() {
        return config.p99().plusSeconds(1);
    }

    private Phase phase(int level) {
        return timeline.phases().get(level);
    }

    private static String levelName(int level) {
        return "level " + level;
    }

    private static void write(Path file, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, content, StandardCharsets.UTF_8);
            System.out.println("[CapacitySimulation] wrote " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write -DkneeFile " + file + ": " + e.getMessage(), e);
        }
    }
}
