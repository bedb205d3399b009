package dev.bulwark.resilience;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Which failures are worth retrying: those that say the dependency was unreachable or went away, never
 * those that say the request itself was wrong (constraint violations, syntax or data errors), which
 * would fail the same way again. The whole cause chain is examined.
 *
 * <table>
 *   <caption>Retried</caption>
 *   <tr><td>SQLState class {@code 08}</td><td>connection exceptions (refused, lost, reset)</td></tr>
 *   <tr><td>{@code 53300}</td><td>too many connections</td></tr>
 *   <tr><td>{@code 57P01}, {@code 57P02}, {@code 57P03}</td><td>admin or crash shutdown, cannot connect now</td></tr>
 *   <tr><td>{@link SQLTransientConnectionException}</td><td>the driver's own "try again" connection failure</td></tr>
 *   <tr><td>{@link ConnectException}, {@link SocketException}, {@link SocketTimeoutException},
 *       {@link NoRouteToHostException}, {@link EOFException}</td><td>the connection could not be made or was lost</td></tr>
 *   <tr><td>{@code JedisConnectionException}</td><td>Jedis could not reach Redis or lost the connection</td></tr>
 *   <tr><td>Tomcat's {@code Validation Query Failed} (no SQLState)</td><td>the pool made a connection that failed
 *       its validation query: the database went away while it connected</td></tr>
 * </table>
 *
 * <p>Serialization failures and deadlocks ({@code 40001}, {@code 40P01}) are transient too, but only a
 * whole transaction may be re-run, so they are reported separately by {@link #isSerializationFailure}.
 *
 * <p>Saturation is not a failure of the dependency ({@link #isSaturation}): a pool that handed out no
 * connection in time (Tomcat's {@code PoolExhaustedException}) or a statement PostgreSQL cancelled at its
 * {@code statement_timeout} ({@code 57014}) says it is busy, not gone, so it is neither retried (waiting again
 * only deepens the queue) nor counted by the breaker. Nor are a lock wait that timed out ({@code 55P03},
 * {@link #isLockTimeout}) or a write refused by a read-only server ({@code 25006}, {@link #isReadOnly}).
 * Stateless and thread-safe.
 */
public final class TransientFailures {

    private static final Set<String> TRANSIENT_SQL_STATES = Set.of("53300", "57P01", "57P02", "57P03");
    private static final Set<String> SERIALIZATION_SQL_STATES = Set.of("40001", "40P01");
    private static final String QUERY_CANCELED = "57014";
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String READ_ONLY_TRANSACTION = "25006";
    // Matched by name so this module needs neither the pool nor Jedis on its classpath to classify them.
    private static final Set<String> TRANSIENT_CLASS_NAMES = Set.of("redis.clients.jedis.exceptions.JedisConnectionException");
    private static final String POOL_EXHAUSTED = "org.apache.tomcat.jdbc.pool.PoolExhaustedException";
    private static final String POOL_VALIDATION_FAILED = "Validation Query Failed";

    private TransientFailures() {
    }

    /**
     * True if retrying the same call may succeed because the dependency, not the call, failed. A
     * {@link DependencyUnavailableException} is final: its retries already ran, so an enclosing retry
     * must not multiply them.
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DependencyUnavailableException) {
                return false;
            }
            if (isTransientItself(t)) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && !isConnectionState(sql.getSQLState())) {
                // A definite SQL error (constraint, syntax, data) decides, whatever caused it underneath.
                return false;
            }
        }
        return false;
    }

    /** True for a serialization failure or deadlock: safe to retry only by re-running the whole transaction. */
    public static boolean isSerializationFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && SERIALIZATION_SQL_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if the dependency is saturated rather than failing: no pooled connection was freed in time, or
     * PostgreSQL cancelled a statement that outlasted its {@code statement_timeout} (and rolled it back).
     */
    public static boolean isSaturation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (hasClassNamed(t, POOL_EXHAUSTED) || hasSqlState(t, QUERY_CANCELED)) {
                return true;
            }
        }
        return false;
    }

    /** True if a lock wait outlasted PostgreSQL's {@code lock_timeout}: the statement was rolled back. */
    public static boolean isLockTimeout(Throwable failure) {
        return anySqlState(failure, LOCK_NOT_AVAILABLE);
    }

    /** True if the server refused a write because it is read-only (a standby, or a demoted primary). */
    public static boolean isReadOnly(Throwable failure) {
        return anySqlState(failure, READ_ONLY_TRANSACTION);
    }

    private static boolean anySqlState(Throwable failure, String sqlState) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (hasSqlState(t, sqlState)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasSqlState(Throwable t, String sqlState) {
        return t instanceof SQLException sql && sqlState.equals(sql.getSQLState());
    }

    private static boolean hasClassNamed(Throwable t, String className) {
        for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
            if (className.equals(type.getName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransientItself(Throwable t) {
        if (t instanceof SQLTransientConnectionException) {
            return true;
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null && isConnectionState(sql.getSQLState())) {
            return true;
        }
        if (t instanceof SQLException sql && sql.getSQLState() == null && sql.getMessage() != null
                && sql.getMessage().startsWith(POOL_VALIDATION_FAILED)) {
            // Tomcat's pool, when a connection it just made fails validation (the flapping chaos scenario saw it).
            return true;
        }
        if (t instanceof UnknownHostException) {
            // Usually DNS not yet knowing a service that is starting (containers, Kubernetes).
            return true;
        }
        if (t instanceof SocketException || t instanceof SocketTimeoutException || t instanceof EOFException) {
            return true;
        }
        return TRANSIENT_CLASS_NAMES.stream().anyMatch(name -> hasClassNamed(t, name));
    }

    private static boolean isConnectionState(String sqlState) {
        return sqlState.startsWith("08") || TRANSIENT_SQL_STATES.contains(sqlState);
    }
}
