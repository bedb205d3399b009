package dev.bulwark.chaos;

import static dev.bulwark.chaos.ResiliencyMatrix.Expected.FAST_FAIL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A slow database and a locked row, with the DEFAULT settings (pool 10, deadline 3 s, adaptive concurrency
 * limit, {@code lock_timeout} 1 s): the service reaches PostgreSQL through the {@code database} proxy. What is
 * proved depends on the defaults (the pool and limit sizes, the timeouts), so nothing is shrunk.
 */
class DatabaseOverloadChaosIT {

    private static final ChaosEnvironment ENV = ChaosEnvironment.shared();

    @RegisterExtension
    static final ChaosApp APP = ChaosApp.withDefaults(ENV.backends(), ENV.serviceJdbcUrl());

    /** Every response from PostgreSQL this late in the overload scenario. */
    private static final Duration LATENCY = Duration.ofMillis(200);

    /** How long the measured part of the overload lasts, after a second for the limit to settle. */
    private static final Duration MEASURED = Duration.ofSeconds(5);

    /** How long the other transaction holds the row locks (issue #11: 12 s, four times the deadline). */
    private static final Duration LOCK_HELD = Duration.ofSeconds(12);

    @BeforeEach
    void startFromAHealthyDatabase() {
        ENV.reset();
        APP.resetAndAwaitReady();
    }

    @Test
    void shouldKeepGoodputAbove80PercentOfThePoolsCapacityRejectFastAndNeverOpenTheBreakerUnder200msLatencyAnd4xPoolSizeWriters()
            throws IOException {
        int pool = APP.poolSize();
        Duration deadline = APP.databaseDeadline();
        double capacity = pool / (LATENCY.toMillis() / 1000d);
        // Clients pace themselves at 5 requests a second: with fast 503s, 40 unpaced clients would be a CPU
        // benchmark of this 2-core machine (clients, service and Toxiproxy in one JVM), not of the service.
        // Offered load stays 4 × the capacity.
        try (ScenarioRun run = ScenarioRun.start(APP, "overload",
                load -> load.withClients(4 * pool).withWrites(1, 0).withRatePerClient(5))) {
            run.awaitServed("before", 200);
            long opened = APP.poolStats().get("database").get("breaker").get("opened").asLong();

            // When every response from PostgreSQL is 200 ms late, for 1 s to settle and 5 s measured
            run.phase("settling");
            Proxy database = ENV.database();
            database.toxics().latency("slow", ToxicDirection.DOWNSTREAM, LATENCY.toMillis());
            await().atMost(Duration.ofSeconds(5)).until(run.faults().after(Duration.ofSeconds(1), () -> run.phase("slow"))::isDone);
            long measuredFrom = System.nanoTime();
            await().atMost(MEASURED.plusSeconds(5)).until(run.faults().after(MEASURED, () -> run.phase("recovery"))::isDone);
            database.toxics().get("slow").remove();
            long removed = System.nanoTime();
            long fullRate = removed + Duration.ofSeconds(1).toNanos();
            // The rate after is measured from 1 s after the latency ended: wait for 200 writes served from then
            LoadResult all = run.finishServedSince(fullRate, 200).all();

            LoadResult during = all.filter(sample -> sample.phase().equals("settling") || sample.phase().equals("slow"));
            double goodput = all.count(sample -> sample.status() / 100 == 2 && sample.endNanos() >= measuredFrom
                    && sample.endNanos() <= removed) / seconds(removed - measuredFrom);
            double ratio = goodput / capacity;
            LoadResult refused = during.filter(sample -> sample.status() != 200 && sample.status() != 201);
            Duration recovery = Duration.ofNanos(Math.max(0, all.samples().stream()
                    .filter(sample -> sample.startNanos() >= removed && !sample.served())
                    .mapToLong(sample -> sample.startNanos() - removed).max().orElse(0)));
            double rateBefore = rate(all.in("before"));
            double rateAfter = rate(all.filter(sample -> sample.startNanos() >= fullRate));

            // Then goodput stays at 80% of what the pool can do, and the breaker never opens
            assertThat(ratio).as("goodput %.1f/s of %.0f/s; %s", goodput, capacity, during).isGreaterThanOrEqualTo(0.8);
            assertThat(APP.poolStats().get("database").get("breaker").get("opened").asLong()).isEqualTo(opened);
            assertThat(APP.breakerState("database")).isEqualTo("CLOSED");
            // Work over the limit is refused fast (after its short wait for a permit): 503 "database overloaded",
            // Retry-After, in a tenth of the deadline
            assertThat(refused.samples()).as(during.toString()).allSatisfy(sample -> {
                assertThat(sample.unavailable("database overloaded")).as(sample.toString()).isTrue();
                assertThat(sample.retryAfter()).isTrue();
            });
            assertThat(refused.percentileMillis(99)).as(refused.toString()).isLessThan(deadline.toMillis() / 10d);
            // No request waits past its deadline
            assertThat(all.maxMillis()).as(all.toString()).isLessThan(deadline.toMillis());
            // And the full rate is back within 1 s of the latency ending
            assertThat(all.filter(sample -> sample.startNanos() >= fullRate && !sample.served()).samples()).isEmpty();
            assertThat(rateAfter).as("writes/s after, before: %.0f", rateBefore).isGreaterThan(rateBefore / 2);
            run.recordAndCheck(MatrixEntry.of("database", "latency " + LATENCY.toMillis() + " ms, " + 4 * pool
                    + " writers, pool " + pool + " (default settings)", FAST_FAIL, during.observed() + String.format(
                    Locale.ROOT, "; %.1f writes/s against %.0f/s capacity; %.0f/s before, %.0f/s after", goodput,
                    capacity, rateBefore, rateAfter)).withRecovery(recovery).withGoodputRatio(ratio));
        }
    }

    @Test
    void shouldAnswerWritesToARowLockedByAnotherTransactionWithA503BusyWithinTheDeadlineAndApplyNoneOfThem()
            throws IOException, SQLException {
        Duration deadline = APP.databaseDeadline();
        // PUTs and GETs only, so the rows locked are the rows seeded: no DELETE removes one in between.
        try (ScenarioRun run = ScenarioRun.start(APP, "lock contention", load -> load.withItemCount(10).withWrites(0.5, 0));
             Connection holder = DriverManager.getConnection(ENV.backends().jdbcUrl(), ENV.backends().dbUser(),
                     ENV.backends().dbPassword())) {
            run.awaitServed("before", 100);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String id = run.prefix() + "-" + i;
                ids.add(id);
                assertThat(run.load().putOnce(id, "seed-" + i).status()).isBetween(200, 201);
            }

            // When another transaction holds a lock on five of the ten rows for 12 s
            holder.setAutoCommit(false);
            Set<String> locked = lock(holder, ids);
            long lockedAt = System.nanoTime();
            run.phase("locked");
            Map<String, LedgerCheck.Row> heldRows = rows(locked);
            CompletableFuture<Void> released = run.faults().after(LOCK_HELD, () -> {
                // Stop the writes first: a write committed after the release would show as a changed row.
                run.stop();
                try {
                    holder.commit();
                } catch (SQLException e) {
                    throw new IOException("could not release the locks", e);
                }
            });
            await().atMost(LOCK_HELD.plusSeconds(15)).until(released::isDone);
            assertThat(released).isNotCompletedExceptionally();
            long releasedAt = System.nanoTime();

            // Then no write answered "busy" is applied later: the locked rows stay as they were
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(rows(locked)).isEqualTo(heldRows));
            ScenarioRun.Outcome outcome = run.stopAndCheck();
            LoadResult all = outcome.all();
            LoadResult onLocked = all.in("locked").filter(sample -> locked.contains(sample.id())
                    && sample.startNanos() >= lockedAt && sample.endNanos() <= releasedAt);
            LoadResult lockedWrites = onLocked.filter(Sample::write);
            // And afterwards each of them can be written at once
            for (String id : locked) {
                assertThat(run.load().putOnce(id, "after-" + id).status()).isBetween(200, 201);
            }

            assertThat(locked).hasSize(ids.size());
            assertThat(lockedWrites.requests()).as(all.toString()).isPositive();
            assertThat(lockedWrites.samples()).allSatisfy(sample -> {
                assertThat(sample.unavailable("database busy")).as(sample.toString()).isTrue();
                assertThat(sample.retryAfter()).isTrue();
                assertThat(sample.latencyMillis()).isLessThan(deadline.toMillis());
            });
            // Reads of the locked rows, and everything on the other rows, went on
            assertThat(onLocked.filter(sample -> !sample.write() && !sample.served()).samples()).isEmpty();
            assertThat(all.in("locked").filter(sample -> !locked.contains(sample.id()) && !sample.served()).samples())
                    .isEmpty();
            assertThat(outcome.ledger().indeterminate()).isZero();
            run.recordAndCheck(MatrixEntry.of("database", "row locked by another transaction for "
                    + LOCK_HELD.toSeconds() + " s (default settings)", FAST_FAIL,
                    lockedWrites.observed() + " on the locked rows"));
        }
    }

    private static Set<String> lock(Connection holder, List<String> ids) throws SQLException {
        Set<String> locked = new HashSet<>();
        try (PreparedStatement select = holder.prepareStatement("SELECT id FROM items WHERE id = ANY (?) FOR UPDATE")) {
            Array array = holder.createArrayOf("text", ids.toArray());
            select.setArray(1, array);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    locked.add(result.getString(1));
                }
            }
        }
        return locked;
    }

    /** The rows of {@code ids}, read directly. */
    private static Map<String, LedgerCheck.Row> rows(Set<String> ids) throws SQLException {
        Map<String, LedgerCheck.Row> rows = new HashMap<>();
        try (Connection db = DriverManager.getConnection(ENV.backends().jdbcUrl(), ENV.backends().dbUser(),
                ENV.backends().dbPassword());
             PreparedStatement select = db.prepareStatement("SELECT id, version, name FROM items WHERE id = ANY (?)")) {
            select.setArray(1, db.createArrayOf("text", ids.toArray()));
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.put(result.getString(1), new LedgerCheck.Row(result.getLong(2), result.getString(3)));
                }
            }
        }
        return rows;
    }

    private static double rate(LoadResult result) {
        if (result.requests() < 2) {
            return 0;
        }
        long first = result.samples().stream().mapToLong(Sample::startNanos).min().orElse(0);
        long last = result.samples().stream().mapToLong(Sample::endNanos).max().orElse(0);
        return result.count(sample -> sample.status() / 100 == 2) / seconds(last - first);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
