package dev.bulwark.resilience.jdbi;

import dev.bulwark.resilience.DependencyUnavailableException;
import dev.bulwark.resilience.TransientFailures;
import dev.bulwark.resilience.bundle.DependencyUnavailableMapper;
import io.dropwizard.jersey.errors.LoggingExceptionMapper;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.time.Duration;
import org.jdbi.v3.core.JdbiException;

/**
 * JDBI failures that reach a resource: one caused by an unavailable database (a wrapped
 * {@link DependencyUnavailableException}, or a connection lost during a unit that must not be re-run) is a 503
 * with {@code Retry-After}, as {@link DependencyUnavailableMapper} answers; any other is a bug, logged with an id
 * and answered 500 without details. Registered by {@link ResilientJdbiFactory#build}. Thread-safe.
 */
public final class JdbiFailureMapper implements ExceptionMapper<JdbiException> {

    private final String dependency;
    private final DependencyUnavailableMapper unavailable = new DependencyUnavailableMapper();
    private final LoggingExceptionMapper<Throwable> bugs = new LoggingExceptionMapper<>() { };

    /** @param dependency the database's name, for a lost connection that carries none */
    public JdbiFailureMapper(String dependency) {
        this.dependency = dependency;
    }

    @Override
    public Response toResponse(JdbiException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DependencyUnavailableException failure) {
                return unavailable.toResponse(failure);
            }
        }
        if (TransientFailures.isTransient(e)) {
            return unavailable.toResponse(new DependencyUnavailableException(dependency,
                    DependencyUnavailableException.Reason.RETRIES_EXHAUSTED, "connection lost", Duration.ofSeconds(1), e));
        }
        return bugs.toResponse(e);
    }
}
