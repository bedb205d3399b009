package dev.bulwark.service.errors;

import dev.bulwark.resilience.DependencyUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * A dependency that failed the request answers 503 at once with {@code Retry-After} and
 * {@code {"code": 503, "message": "database <reason>, retry after N s"}}, where the reason is
 * {@code unavailable} (breaker open, retries exhausted), {@code overloaded}, {@code read-only},
 * {@code busy: a row is locked by another transaction} or {@code connection lost mid-write: outcome unknown},
 * instead of holding a request thread. The message never carries the underlying error (it could name hosts or
 * users). Stateless and thread-safe.
 */
public final class DependencyUnavailableMapper implements ExceptionMapper<DependencyUnavailableException> {

    @Override
    public Response toResponse(DependencyUnavailableException e) {
        return unavailable(e);
    }

    static Response unavailable(DependencyUnavailableException e) {
        long seconds = Math.max(1, (long) Math.ceil(e.retryAfter().toMillis() / 1000.0));
        return Response.fromResponse(Errors.response(503,
                        e.dependency() + " " + e.reason().phrase() + ", retry after " + seconds + " s"))
                .header(HttpHeaders.RETRY_AFTER, seconds)
                .build();
    }
}
