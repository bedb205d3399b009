package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per row of the table in {@link TransientFailures}, and the failures it must never retry. */
class TransientFailuresTest {

    @ParameterizedTest(name = "SQLState {0}")
    @ValueSource(strings = {"08000", "08001", "08003", "08004", "08006", "08P01"})
    void shouldRetryConnectionExceptionsOfClass08(String state) {
        assertThat(TransientFailures.isTransient(new SQLException("connection", state))).isTrue();
    }

    @Test
    void shouldRetryTooManyConnections() {
        assertThat(TransientFailures.isTransient(new SQLException("too many clients", "53300"))).isTrue();
    }

    @ParameterizedTest(name = "SQLState {0}")
    @ValueSource(strings = {"57P01", "57P02", "57P03"})
    void shouldRetryServerShutdownAndCannotConnectNow(String state) {
        assertThat(TransientFailures.isTransient(new SQLException("terminating connection", state))).isTrue();
    }

    @Test
    void shouldRetryTransientConnectionExceptions() {
        assertThat(TransientFailures.isTransient(new SQLTransientConnectionException("pool timeout"))).isTrue();
    }

    @Test
    void shouldRetryAPooledConnectionThatFailedItsValidationQueryAsTheDatabaseWentAway() {
        // Tomcat's pool says so with no SQLState and no cause; the flapping chaos scenario answered it with a 500.
        SQLException validation = new SQLException("Validation Query Failed, enable logValidationErrors for more details.");

        assertThat(TransientFailures.isTransient(new RuntimeException("wrapped", validation))).isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("Validation of something else"))).isFalse();
    }

    @Test
    void shouldCallAPoolAcquisitionTimeoutSaturationAndNeverRetryIt() {
        // Waiting again on a saturated pool only deepens its queue (issue #11).
        Exception timeout = new org.jdbi.v3.core.ConnectionException(
                new org.apache.tomcat.jdbc.pool.PoolExhaustedException("timeout"));

        assertThat(TransientFailures.isTransient(timeout)).isFalse();
        assertThat(TransientFailures.isSaturation(timeout)).isTrue();
    }

    @Test
    void shouldCallACancelledStatementSaturationNotAFailure() {
        SQLException cancelled = new SQLException("canceling statement due to statement timeout", "57014");

        assertThat(TransientFailures.isTransient(cancelled)).isFalse();
        assertThat(TransientFailures.isSaturation(cancelled)).isTrue();
    }

    @Test
    void shouldTellLockTimeoutsAndReadOnlyRefusalsApart() {
        SQLException lock = new SQLException("canceling statement due to lock timeout", "55P03");
        SQLException readOnly = new SQLException("cannot execute UPDATE in a read-only transaction", "25006");

        assertThat(TransientFailures.isLockTimeout(new RuntimeException(lock))).isTrue();
        assertThat(TransientFailures.isReadOnly(new RuntimeException(readOnly))).isTrue();
        assertThat(TransientFailures.isTransient(lock) || TransientFailures.isTransient(readOnly)).isFalse();
        assertThat(TransientFailures.isSaturation(lock) || TransientFailures.isSaturation(readOnly)).isFalse();
        assertThat(TransientFailures.isReadOnly(lock) || TransientFailures.isLockTimeout(readOnly)).isFalse();
    }

    @Test
    void shouldRetrySocketLevelFailures() {
        assertThat(TransientFailures.isTransient(new ConnectException("Connection refused"))).isTrue();
        assertThat(TransientFailures.isTransient(new SocketException("Connection reset"))).isTrue();
        assertThat(TransientFailures.isTransient(new SocketTimeoutException("connect timed out"))).isTrue();
        assertThat(TransientFailures.isTransient(new NoRouteToHostException("no route"))).isTrue();
        assertThat(TransientFailures.isTransient(new EOFException())).isTrue();
        assertThat(TransientFailures.isTransient(new UnknownHostException("postgres"))).isTrue();
    }

    @Test
    void shouldRetryJedisConnectionErrors() {
        assertThat(TransientFailures.isTransient(
                new redis.clients.jedis.exceptions.JedisConnectionException("Failed to connect"))).isTrue();
    }

    @Test
    void shouldLookThroughWrappersToTheCause() {
        Exception wrapped = new RuntimeException("jdbi", new SQLException("I/O error", "08006",
                new SocketException("Connection reset")));

        assertThat(TransientFailures.isTransient(wrapped)).isTrue();
    }

    @ParameterizedTest(name = "SQLState {0}")
    @ValueSource(strings = {"23505", "23502", "23514", "42601", "42P01", "22001", "22P02", "40001", "40P01"})
    void shouldNeverRetryConstraintSyntaxDataOrSerializationErrorsAsSingleCalls(String state) {
        assertThat(TransientFailures.isTransient(new SQLException("bad", state))).isFalse();
    }

    @Test
    void shouldNotRetryADefiniteSqlErrorEvenIfASocketErrorLiesBeneathIt() {
        Exception unique = new SQLException("duplicate key", "23505", new SocketException("irrelevant"));

        assertThat(TransientFailures.isTransient(unique)).isFalse();
    }

    @Test
    void shouldNotRetryOrdinaryProgrammingErrors() {
        assertThat(TransientFailures.isTransient(new IllegalArgumentException("bad"))).isFalse();
        assertThat(TransientFailures.isTransient(new IOException("disk"))).isFalse();
        assertThat(TransientFailures.isTransient(
                new redis.clients.jedis.exceptions.JedisDataException("WRONGTYPE"))).isFalse();
    }

    @Test
    void shouldTreatAnExhaustedCallAsFinalSoEnclosingRetriesDoNotMultiply() {
        Exception exhausted = new RuntimeException(new DependencyUnavailableException("database",
                DependencyUnavailableException.Reason.RETRIES_EXHAUSTED, "retries exhausted", java.time.Duration.ofSeconds(1), new ConnectException("Connection refused")));

        assertThat(TransientFailures.isTransient(exhausted)).isFalse();
    }

    @Test
    void shouldReportSerializationFailuresForWholeTransactionRetry() {
        assertThat(TransientFailures.isSerializationFailure(new RuntimeException(new SQLException("x", "40001"))))
                .isTrue();
        assertThat(TransientFailures.isSerializationFailure(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(TransientFailures.isSerializationFailure(new SQLException("x", "23505"))).isFalse();
    }
}
