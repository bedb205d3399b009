package dev.bulwark.gatling;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pause;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.exec.Executable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The schedule of one run: consecutive {@link Phase}s, and the steps taken between them (a Toxiproxy
 * change, or a probe request that proves the fault took effect). Built with {@link #builder()}:
 *
 * <pre>{@code
 * ChaosTimeline.builder()
 *     .phase("steady", Duration.ofSeconds(20), false)
 *     .act("disable proxy database", proxies.disable(Proxies.DATABASE))
 *     .phase("outage", Duration.ofSeconds(15), true)
 *     .act("enable proxy database", proxies.enable(Proxies.DATABASE))
 *     .phase("recovery", Duration.ofSeconds(30), false)
 *     .build(Clock.systemUTC());
 * }</pre>
 *
 * <p>Time 0 is the first call of {@link #phaseNow()} or of the chaos chain, whichever comes first (both
 * happen as the simulation's users start). The chaos chain ({@link #chaos()}) is run by one virtual user:
 * Gatling pauses until each step's time, then takes it; a step that fails is logged, recorded in
 * {@link #failures()} and marks that user's session failed, and its probe requests then fail too.
 * Thread-safe once built.
 */
public final class ChaosTimeline {

    /** A change made through Toxiproxy's API. */
    @FunctionalInterface
    public interface Change {
        void apply() throws IOException;
    }

    /** The Gatling group of the probe requests. */
    public static final String PROBES = "chaos";

    private record Step(Duration at, String description, Change change, Executable probe) {
    }

    private final List<Phase> phases;
    private final List<Step> steps;
    private final Clock clock;
    private final AtomicReference<Instant> origin = new AtomicReference<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    private ChaosTimeline(List<Phase> phases, List<Step> steps, Clock clock) {
        this.phases = List.copyOf(phases);
        this.steps = List.copyOf(steps);
        this.clock = clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The phases, in order. */
    public List<Phase> phases() {
        return phases;
    }

    /** From time 0 to the end of the last phase: how long the load runs. */
    public Duration total() {
        return phases.get(phases.size() - 1).end();
    }

    /** The phase in progress now; the last one once the timeline is over. */
    public Phase phaseNow() {
        return phaseAt(elapsed());
    }

    Phase phaseAt(Duration elapsed) {
        for (Phase phase : phases) {
            if (phase.contains(elapsed)) {
                return phase;
            }
        }
        return phases.get(phases.size() - 1);
    }

    /** The steps, each after a pause that lasts until its time: the chain of the one chaos user. */
    public ChainBuilder chaos() {
        ChainBuilder chain = exec(session -> {
            elapsed();
            return session;
        });
        for (Step step : steps) {
            chain = chain.pause(session -> until(step.at()));
            chain = step.probe() != null ? chain.group(PROBES).on(step.probe()) : chain.exec(session -> {
                if (take(step)) {
                    return session;
                }
                return session.markAsFailed();
            });
        }
        return chain;
    }

    /** A pause until {@code at} on the timeline (none when that time has passed): for a user's own schedule. */
    public ChainBuilder waitUntil(Duration at) {
        return exec(pause(session -> until(at)));
    }

    /** The steps that failed, one line each; empty when every change was made. */
    public List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    Duration elapsed() {
        Instant now = clock.instant();
        origin.compareAndSet(null, now);
        return Duration.between(origin.get(), now);
    }

    private Duration until(Duration at) {
        Duration left = at.minus(elapsed());
        return left.isNegative() ? Duration.ZERO : left;
    }

    private boolean take(Step step) {
        String when = String.format(Locale.ROOT, "t=%.1fs", elapsed().toMillis() / 1000.0);
        try {
            step.change().apply();
            System.out.println("[chaos] " + when + " " + step.description());
            return true;
        } catch (IOException | RuntimeException e) {
            String failure = when + " " + step.description() + " failed: " + e;
            failures.add(failure);
            System.err.println("[chaos] " + failure);
            return false;
        }
    }

    /** Lays out phases one after the other, with steps at the boundaries. Not thread-safe. */
    public static final class Builder {
        private final List<Phase> phases = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();
        private Duration cursor = Duration.ZERO;

        private Builder() {
        }

        /** A phase of {@code length} after the previous one. */
        public Builder phase(String name, Duration length, boolean unavailableAllowed) {
            if (length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("phase " + name + " must last more than 0 s, got " + length);
            }
            phases.add(new Phase(name, cursor, cursor.plus(length), unavailableAllowed));
            cursor = cursor.plus(length);
            return this;
        }

        /** A Toxiproxy change at the end of the phases so far. */
        public Builder act(String description, Change change) {
            steps.add(new Step(cursor, description, change, null));
            return this;
        }

        /** Requests the chaos user sends at the end of the phases so far, to prove the fault's effect. */
        public Builder probe(Executable probe) {
            steps.add(new Step(cursor, "probe", null, probe));
            return this;
        }

        public ChaosTimeline build(Clock clock) {
            if (phases.isEmpty()) {
                throw new IllegalStateException("a timeline needs at least one phase");
            }
            return new ChaosTimeline(phases, steps, clock);
        }
    }
}
