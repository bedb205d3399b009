package dev.bulwark.service.errors;

import dev.bulwark.resilience.DependencyUnavailableException;
import dev.bulwark.resilience.TransientFailures;
import io.dropwizard.jersey.errors.LoggingExceptionMapper;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.time.Duration;
import org.jdbi.v3.core.JdbiException;

/**
 * JDBI failures: one caused by an unavailable database (wrapped {@link DependencyUnavailableException},
 * or a connection lost during a unit that must not be re-run) is a 503 with {@code Retry-After}; any
 * other is a bug, logged with an id and answered 500 without details. Thread-safe.
 */
public final class DatabaseErrorMapper implements ExceptionMapper<JdbiException> {

    private final LoggingExceptionMapper<Throwable> bugs = new LoggingExceptionMapper<>() { };

    @Override
    public Response toResponse(JdbiException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DependencyUnavailableException unavailable) {
                return DependencyUnavailableMapper.unavailable(unavailable);
            }
        }
        if (TransientFailures.isTransient(e)) {
            return DependencyUnavailableMapper.unavailable(new DependencyUnavailableException("database",
                    DependencyUnavailableException.Reason.UNAVAILABLE, "connection lost", Duration.ofSeconds(1), e));
        }
        return bugs.toResponse(e);
    }
}
