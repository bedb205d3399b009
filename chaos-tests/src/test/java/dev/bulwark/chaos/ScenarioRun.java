package dev.bulwark.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.chaos.report.BreakerWatch;
import dev.bulwark.chaos.report.Timeline;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * One chaos scenario against a {@link ChaosApp}: its own item ids, a {@link Load} with its ledger running
 * from the start, {@link Faults} for timed changes, and the row it adds to the resiliency matrix. A scenario
 * reads: start, inject the fault, {@link #finish(int)} (which checks the ledger against PostgreSQL), assert
 * what is specific to it, then {@link #recordAndCheck} or {@link #recordAndCheckServedAfter}, which add the
 * row and assert what every scenario asserts. Close it (try-with-resources) so nothing outlives the test.
 * The finishing and closing calls belong to the test's own thread; faults may change the phase or stop the load
 * from theirs.
 *
 * <p>It also records the scenario against time for the chaos report: every sample, the fault's window as the
 * scenario marks it ({@link #faultInjected()}, {@link #faultRemoved()}) and the breakers' states, polled from the
 * admin port's {@code /pool-stats} every {@link BreakerWatch#DEFAULT_INTERVAL}. Closing it draws the chart
 * ({@link dev.bulwark.chaos.report.ChaosReport#addScenario}), whether the scenario passed or not.
 */
final class ScenarioRun implements AutoCloseable {

    private final ChaosApp app;
    private final String scenario;
    private final String prefix;
    private final Load load;
    private final Faults faults = new Faults();
    private final long startNanos;
    private final BreakerWatch breakers;
    private volatile Long faultStartNanos;
    private volatile Long faultEndNanos;
    private Long phaseFaultStartNanos;
    private Long phaseFaultEndNanos;
    private Outcome outcome;

    private ScenarioRun(ChaosApp app, String scenario, String prefix, Load load, long startNanos) {
        this.app = app;
        this.scenario = scenario;
        this.prefix = prefix;
        this.load = load;
        this.startNanos = startNanos;
        this.breakers = BreakerWatch.start(() -> breakerStates(app), System::nanoTime, BreakerWatch.DEFAULT_INTERVAL);
    }

    /** Starts the load (4 clients unless {@code settings} says otherwise) in phase "before". */
    static ScenarioRun start(ChaosApp app, String scenario, UnaryOperator<Load.Builder> settings) {
        String prefix = "chaos-" + UUID.randomUUID().toString().substring(0, 13);
        long startNanos = System.nanoTime();
        Load load = settings.apply(Load.on(app.port()).withItems(prefix, 200)).start();
        return new ScenarioRun(app, scenario, prefix, load, startNanos);
    }

    static ScenarioRun start(ChaosApp app, String scenario) {
        return start(app, scenario, UnaryOperator.identity());
    }

    Faults faults() {
        return faults;
    }

    /** The prefix of every id of this scenario. */
    String prefix() {
        return prefix;
    }

    /** The load, e.g. to write one item through it (and its ledger). */
    Load load() {
        return load;
    }

    /**
     * Tags the requests sent from now on. Unless the scenario marks its fault's window itself, the first phase
     * other than "before" starts the window the chart shades and the first "recovery" or "after" ends it.
     */
    void phase(String name) {
        load.phase(name);
        long now = System.nanoTime();
        synchronized (this) {
            if (phaseFaultStartNanos == null && !name.equals("before") && !ending(name)) {
                phaseFaultStartNanos = now;
            } else if (phaseFaultStartNanos != null && phaseFaultEndNanos == null && ending(name)) {
                phaseFaultEndNanos = now;
            }
        }
    }

    private static boolean ending(String phase) {
        return phase.equals("recovery") || phase.equals("after");
    }

    /** Marks the fault as injected now: the start of the window the chart shades. Any thread. */
    void faultInjected() {
        faultStartNanos = System.nanoTime();
    }

    /** Marks the fault as removed now: the end of the shaded window (else the end of the chart). Any thread. */
    void faultRemoved() {
        faultRemovedAt(System.nanoTime());
    }

    /** Marks the fault as removed at {@code nanos} ({@link System#nanoTime()}). Any thread. */
    void faultRemovedAt(long nanos) {
        faultEndNanos = nanos;
    }

    /** Waits until {@code count} requests sent in {@code phase} were served (the service is taking traffic). */
    void awaitServed(String phase, int count) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> load.snapshot().in(phase).count(Sample::served) >= count);
    }

    /** Waits until {@code count} requests sent in {@code phase} have finished, whatever their outcome. */
    void awaitRequests(String phase, int count) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> load.snapshot().in(phase).requests() >= count);
    }

    /** Waits until the service is fully serving again, and says how long that took. */
    Duration awaitRecovery(Duration atMost) {
        long start = System.nanoTime();
        String probe = "/items/" + prefix + "-probe";
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> app.fullyServing(probe));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Waits until a read sent in {@code phase} was a cache hit again, and says how long that took. */
    Duration awaitCacheHit(String phase, Duration atMost) {
        long start = System.nanoTime();
        await().atMost(atMost).pollInterval(Duration.ofMillis(20))
                .until(() -> load.snapshot().in(phase).count(sample -> sample.cache().equals("HIT")) > 0);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Ends a scenario once its fault is gone: tags the rest "after", waits until {@code servedAfter} of those
     * requests were served, stops the load and checks the ledger.
     */
    Outcome finish(int servedAfter) {
        phase("after");
        awaitServed("after", servedAfter);
        return stopAndCheck();
    }

    /**
     * Like {@link #finish(int)}, but the {@code servedAfter} requests counted are those sent at or after
     * {@code sinceNanos} ({@link System#nanoTime()}), so a figure taken from that instant on has samples.
     */
    Outcome finishServedSince(long sinceNanos, int servedAfter) {
        phase("after");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> load.snapshot().filter(sample -> sample.startNanos() >= sinceNanos)
                        .count(Sample::served) >= servedAfter);
        return stopAndCheck();
    }

    /** Ends a scenario without an "after" phase: stops the load (if it still runs) and checks the ledger. */
    Outcome stopAndCheck() {
        outcome = new Outcome(stop(), checkLedger());
        return outcome;
    }

    /**
     * What a finished scenario saw.
     *
     * @param all    every sample, all phases
     * @param ledger acknowledged writes and reads checked against PostgreSQL
     */
    record Outcome(LoadResult all, LedgerCheck ledger) {

        /**
         * The closing step of a scenario: adds its row to the resiliency matrix, then asserts the ledger is
         * clean (nothing acknowledged lost, nothing refused written, no id with two rows, no stale read).
         * The row goes in first, so a scenario whose ledger fails still shows what it saw.
         */
        void recordAndCheck(String scenario, MatrixEntry entry) {
            record(scenario, entry);
            assertLedgerClean();
        }

        void record(String scenario, MatrixEntry entry) {
            ChaosEnvironment.shared().matrix().record(ResiliencyMatrix.Row.of(entry.dependency(), entry.fault(),
                    entry.expected(), entry.observed(), entry.recovery() == null ? null : entry.recovery().toMillis(),
                    entry.goodputRatio(), all, ledger, scenario));
            ChaosEnvironment.shared().report().writeIndex();
        }

        void assertLedgerClean() {
            assertThat(ledger.clean()).as(ledger.toString()).isTrue();
        }
    }

    /** Stops the load; every sample of the scenario. */
    LoadResult stop() {
        return load.stop();
    }

    /** Once stopped and recovered: every write attempt against PostgreSQL, and reads through the service against it. */
    LedgerCheck checkLedger() {
        return LedgerCheck.of(load.ledger(), prefix, app.database(), app.port());
    }

    /**
     * The last call of a finished scenario, after what is specific to it: adds its row to the resiliency matrix
     * and asserts the ledger is clean ({@link Outcome#recordAndCheck}). A scenario that fails one of its own
     * assertions first adds no row; those assertions' messages carry what the load saw.
     */
    void recordAndCheck(MatrixEntry entry) {
        finished().recordAndCheck(scenario, entry);
    }

    /**
     * Like {@link #recordAndCheck}, and also asserts that every request sent in phase "after" (from
     * {@link #finish(int)} on, once the scenario has awaited its recovery) was served.
     */
    void recordAndCheckServedAfter(MatrixEntry entry) {
        Outcome finished = finished();
        finished.record(scenario, entry);
        LoadResult all = finished.all();
        assertThat(all.in("after").filter(sample -> !sample.served()).samples()).as(all.toString()).isEmpty();
        finished.assertLedgerClean();
    }

    private Outcome finished() {
        if (outcome == null) {
            throw new IllegalStateException("finish the scenario (finish, finishServedSince or stopAndCheck) first");
        }
        return outcome;
    }

    /** Each breaker's state by dependency, from the admin port's {@code /pool-stats}. */
    private static Map<String, String> breakerStates(ChaosApp app) {
        Map<String, String> states = new LinkedHashMap<>();
        JsonNode stats = app.poolStats();
        stats.fieldNames().forEachRemaining(dependency -> {
            JsonNode state = stats.get(dependency).path("breaker").path("state");
            if (state.isTextual()) {
                states.put(dependency, state.asText());
            }
        });
        return states;
    }

    @Override
    public void close() {
        faults.close();
        LoadResult all = load.stop();
        breakers.close();
        // The chart ends when the load's last answer came, not after the ledger check that followed.
        long endNanos = all.samples().stream().mapToLong(Sample::endNanos).max().orElse(System.nanoTime());
        boolean marked = faultStartNanos != null;
        Long faultStart;
        Long faultEnd;
        synchronized (this) {
            faultStart = marked ? faultStartNanos : phaseFaultStartNanos;
            faultEnd = marked ? faultEndNanos : phaseFaultEndNanos;
        }
        ChaosEnvironment.shared().report().addScenario(Timeline.of(scenario, all.samples(), startNanos, endNanos,
                faultStart, faultEnd, breakers.log()));
    }
}
