package dev.bulwark.service.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.service.testing.Json;
import dev.bulwark.service.testing.TestApp;
import dev.bulwark.service.testing.TestBackends;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failure answer to a write is definite, against the real PostgreSQL with the default settings: a row
 * locked by another transaction, and a database that turns read-only (what clients see of a primary demoted
 * in a switchover, SQLState 25006). Neither is ever a 500, and a write answered with an error is not applied.
 */
class DefiniteWritesIT {

    // Its own connections, told apart from any other instance's in pg_stat_activity.
    private static final String APPLICATION_NAME = "bulwark-definite-" + UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    static final TestApp APP = TestApp.create(java.util.Map.of("database.properties.ApplicationName", APPLICATION_NAME));

    @Test
    void shouldAnswerAWriteToALockedRowWithin1sAsBusyAndNotApplyItLater() throws Exception {
        // Given an item whose row another transaction holds locked
        String id = "locked-" + UUID.randomUUID();
        assertThat(APP.putJson("/items/" + id, Json.item("original", 1)).statusCode()).isEqualTo(201);
        try (Connection locker = connect()) {
            locker.setAutoCommit(false);
            try (PreparedStatement lock = locker.prepareStatement("SELECT * FROM items WHERE id = ? FOR UPDATE")) {
                lock.setString(1, id);
                lock.executeQuery().close();
            }

            // When a client replaces and deletes it
            long start = System.nanoTime();
            HttpResponse<String> put = APP.putJson("/items/" + id, Json.item("blocked", 2));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            HttpResponse<String> delete = APP.delete("/items/" + id);

            // Then each gets a definite 503 saying the row is locked, bounded by the lock timeout, not the 5 s
            // socket timeout
            for (HttpResponse<String> response : new HttpResponse[] {put, delete}) {
                assertThat(response.statusCode()).isEqualTo(503);
                assertRetryAfterASecondOrTwo(response, "database busy: a row is locked by another transaction");
            }
            assertThat(took).isLessThan(Duration.ofMillis(2900));
            locker.rollback();
        }

        // And once the lock is gone, nothing of the refused writes was applied
        JsonNode stored = Json.parse(APP.get("/items/" + id).body());
        assertThat(stored.get("name").asText()).isEqualTo("original");
        assertThat(stored.get("version").asLong()).isEqualTo(1);
    }

    @Test
    void shouldAnswerWritesToAReadOnlyDatabaseWith503WhileReadsGoOnAndRecoverWhenWritable() throws Exception {
        String id = "read-only-" + UUID.randomUUID();
        assertThat(APP.putJson("/items/" + id, Json.item("original", 1)).statusCode()).isEqualTo(201);
        try {
            // Given the database turns read-only for every new session, and the service's sessions end
            setReadOnly(true);
            terminateServiceSessions();
            // The first write meets a connection that was cut under it, so it cannot know whether it was applied;
            // its read-only retries purge the pool.
            HttpResponse<String> first = APP.putJson("/items/" + id + "-first", Json.item("refused", 2));
            assertThat(Json.parse(first.body()).get("message").asText()).isIn(
                    "database read-only, retry after " + first.headers().firstValue("Retry-After").orElseThrow() + " s",
                    "database connection lost mid-write: outcome unknown, retry after "
                            + first.headers().firstValue("Retry-After").orElseThrow() + " s");

            // When a client writes and reads
            HttpResponse<String> put = APP.putJson("/items/" + id, Json.item("refused", 2));
            HttpResponse<String> create = APP.putJson("/items/" + id + "-new", Json.item("refused", 2));
            HttpResponse<String> delete = APP.delete("/items/" + id);
            HttpResponse<String> read = APP.get("/items/" + id);

            // Then the writes get a 503 saying so, with Retry-After, never a 500, and reads go on
            for (HttpResponse<String> response : new HttpResponse[] {put, create, delete}) {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                assertRetryAfterASecondOrTwo(response, "database read-only");
            }
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(APP.get("/health-check?type=ready").statusCode()).isEqualTo(200);
        } finally {
            setReadOnly(false);
        }

        // And when the database takes writes again, the next write goes through on a fresh connection, and the
        // refused ones were not applied
        assertThat(APP.get("/items/" + id + "-new").statusCode()).isEqualTo(404);
        HttpResponse<String> after = APP.putJson("/items/" + id, Json.item("after", 3));
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(Json.parse(after.body()).get("version").asLong()).isEqualTo(2);
    }

    private static void setReadOnly(boolean readOnly) throws SQLException {
        try (Connection admin = connect(); Statement statement = admin.createStatement()) {
            // A new session of a read-only database is read-only too, even for turning that off.
            statement.execute("SET default_transaction_read_only = off");
            String database;
            try (ResultSet name = statement.executeQuery("SELECT current_database()")) {
                name.next();
                database = name.getString(1);
            }
            statement.execute("ALTER DATABASE \"" + database + "\" "
                    + (readOnly ? "SET default_transaction_read_only = on" : "RESET default_transaction_read_only"));
        }
    }

    private static void terminateServiceSessions() throws SQLException {
        try (Connection admin = connect(); Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE application_name = '" + APPLICATION_NAME + "'");
        }
    }

    private static Connection connect() throws SQLException {
        TestBackends backends = TestBackends.shared();
        return DriverManager.getConnection(backends.jdbcUrl(), backends.dbUser(), backends.dbPassword());
    }

    /**
     * A refusal that needs a second: {@code Retry-After} 1 or 2 (spread, so a fleet's clients do not come back
     * together) and the message saying {@code reason} and the same value.
     */
    private static void assertRetryAfterASecondOrTwo(HttpResponse<String> response, String reason) {
        String retryAfter = response.headers().firstValue("Retry-After").orElseThrow();
        assertThat(retryAfter).isIn("1", "2");
        assertThat(Json.parse(response.body()).get("message").asText())
                .isEqualTo(reason + ", retry after " + retryAfter + " s");
    }
}
