package dev.bulwark.chaos;

import static dev.bulwark.chaos.ResiliencyMatrix.Expected.FAST_FAIL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.bulwark.service.db.SchemaMigrator;
import io.dropwizard.db.DataSourceFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A switchover between two real PostgreSQL servers under load, with the DEFAULT settings: the service's
 * {@code DB_URL} names both, {@code jdbc:postgresql://A,B/postgres?targetServerType=primary}. A starts as the
 * primary; B as a standby, read-only ({@code default_transaction_read_only}, as a hot standby refuses writes
 * with SQLState 25006), with the same schema. The switchover, as an orchestrator (Patroni, a managed service)
 * does it:
 * <ol>
 *   <li>A is demoted: it turns read-only, and for {@value #DEMOTED_MILLIS} ms its open sessions stay, so
 *       writes on the service's pooled connections meet 25006;</li>
 *   <li>A's sessions are terminated, as when it restarts as a replica; from then on nothing can commit on A
 *       (a session opened before the reload was terminated, one opened after it is read-only);</li>
 *   <li>B catches up: the scenario's rows are copied from A to B, standing in for replication, whose job is
 *       that the new primary has everything the old one committed;</li>
 *   <li>B is promoted: it turns writable.</li>
 * </ol>
 * So B ends up with every write acknowledged before the switchover and every one after it, and the ledger is
 * checked against B alone: nothing acknowledged may be missing, nothing refused may be there. Writes must
 * follow to B within 2 s of its promotion, reads go on throughout, and nothing is ever a 500.
 */
class DatabaseFailoverChaosIT {

    private static final long DEMOTED_MILLIS = 500;
    private static final Duration FOLLOW_WITHIN = Duration.ofSeconds(2);

    private static final RestartablePostgres PRIMARY = RestartablePostgres.launch("primary");
    private static final RestartablePostgres STANDBY = standby();

    @RegisterExtension
    static final ChaosApp APP = ChaosApp.withDefaults(STANDBY.backends(ChaosEnvironment.shared().backends().redisUrl()),
            "jdbc:postgresql://" + PRIMARY.address() + "," + STANDBY.address() + "/postgres?targetServerType=primary");

    @BeforeEach
    void startFromHealthyProxies() {
        ChaosEnvironment.shared().reset();
        APP.resetAndAwaitReady();
    }

    @AfterAll
    static void stopBothDatabases() {
        PRIMARY.close();
        STANDBY.close();
    }

    @Test
    void shouldFollowThePrimaryToTheOtherServerWithin2sKeepServingReadsNeverAnswer500AndLoseNothingInASwitchover()
            throws SQLException {
        try (ScenarioRun run = ScenarioRun.start(APP, "switchover")) {
            run.awaitServed("before", 200);

            // When A is demoted, its sessions are cut, B catches up and is promoted
            run.phase("switchover");
            readOnly(PRIMARY, true);
            await().atMost(Duration.ofSeconds(5)).until(run.faults().after(Duration.ofMillis(DEMOTED_MILLIS), () -> { })::isDone);
            PRIMARY.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
            int copied = copyRows(run.prefix());
            readOnly(STANDBY, false);
            long promoted = System.nanoTime();

            // Then writes reach B within 2 s
            run.phase("promoted");
            String probe = run.prefix() + "-probe";
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> APP.put("/items/" + probe, "probe", 1).statusCode() / 100 == 2);
            Duration followed = Duration.ofNanos(System.nanoTime() - promoted);
            LoadResult all = run.finish(200).all();
            LoadResult switching = all.in("switchover");

            assertThat(followed).isLessThanOrEqualTo(FOLLOW_WITHIN);
            assertThat(rowOn(STANDBY, probe)).as("the probe's row on the new primary").isTrue();
            // Nothing was ever a 500 or unanswered; a write refused during the switch was a 503 with Retry-After
            assertThat(all.filter(sample -> sample.failed() && sample.status() != 503).samples()).as(all.toString()).isEmpty();
            assertThat(all.filter(sample -> sample.status() == 503).samples()).allSatisfy(sample -> {
                assertThat(sample.write()).as(sample.toString()).isTrue();
                assertThat(sample.retryAfter()).isTrue();
            });
            // Reads went on during the switch
            assertThat(switching.filter(sample -> !sample.write() && !sample.served()).samples()).isEmpty();
            long readOnlyAnswers = all.count(sample -> sample.unavailable("database read-only"));
            run.recordAndCheckServedAfter(MatrixEntry.of("database",
                    "switchover: primary turns read-only, the other server is promoted (default settings)", FAST_FAIL,
                    switching.observed() + "; " + readOnlyAnswers + " × 503 read-only; writes on the new primary "
                            + followed.toMillis() + " ms after its promotion; " + copied + " rows replicated")
                    .withRecovery(followed));
        }
    }

    /** A second server with the service's schema, read-only like a hot standby. */
    private static RestartablePostgres standby() {
        RestartablePostgres standby = RestartablePostgres.launch("standby");
        DataSourceFactory database = new DataSourceFactory();
        database.setDriverClass("org.postgresql.Driver");
        database.setUrl(standby.jdbcUrl());
        database.setUser(standby.user());
        database.setPassword("");
        try {
            SchemaMigrator.migrate(database, new MetricRegistry());
        } catch (Exception e) {
            throw new IllegalStateException("could not create the schema on " + standby, e);
        }
        readOnly(standby, true);
        return standby;
    }

    /** Turns {@code server} read-only (or writable) for every new transaction, and waits until a new session says so. */
    private static void readOnly(RestartablePostgres server, boolean readOnly) {
        server.execute(readOnly ? "ALTER SYSTEM SET default_transaction_read_only = on"
                : "ALTER SYSTEM RESET default_transaction_read_only");
        server.execute("SELECT pg_reload_conf()");
        // In the poller's own thread, since the standby is prepared while this class initialises.
        await().pollInSameThread().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
            try (Connection connection = server.connect(); Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SHOW transaction_read_only")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getString(1)).as("transaction_read_only on " + server).isEqualTo(readOnly ? "on" : "off");
            }
        });
    }

    /** Copies the scenario's rows from the old primary to the new one, as replication would have; returns how many. */
    private static int copyRows(String prefix) throws SQLException {
        int copied = 0;
        try (Connection from = PRIMARY.connect(); Connection to = STANDBY.connect();
             PreparedStatement select = from.prepareStatement(
                     "SELECT id, name, quantity, version, updated_at FROM items WHERE id LIKE ?");
             Statement writable = to.createStatement()) {
            writable.execute("SET default_transaction_read_only = off");
            select.setString(1, prefix + "%");
            try (ResultSet rows = select.executeQuery(); PreparedStatement insert = to.prepareStatement(
                    "INSERT INTO items (id, name, quantity, version, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                while (rows.next()) {
                    for (int column = 1; column <= 5; column++) {
                        insert.setObject(column, rows.getObject(column));
                    }
                    insert.executeUpdate();
                    copied++;
                }
            }
        }
        return copied;
    }

    private static boolean rowOn(RestartablePostgres server, String id) throws SQLException {
        try (Connection connection = server.connect();
             PreparedStatement select = connection.prepareStatement("SELECT 1 FROM items WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet result = select.executeQuery()) {
                return result.next();
            }
        }
    }
}
