package dev.bulwark.resilience.bundle;

import dev.bulwark.resilience.DependencyUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * A dependency that failed the request answers 503 at once with {@code Retry-After} and
 * {@code {"code": 503, "message": "<dependency> <reason>, retry after N s"}}, where the reason is
 * {@code unavailable} (breaker open, retries or budget spent), {@code overloaded}, {@code read-only},
 * {@code busy: a row is locked by another transaction} or {@code connection lost mid-write: outcome unknown},
 * instead of holding a request thread. The message never carries the underlying error (it could name hosts or
 * users). Registered by the {@link ResilienceBundle}. Stateless and thread-safe.
 */
public final class DependencyUnavailableMapper implements ExceptionMapper<DependencyUnavailableException> {

    @Override
    public Response toResponse(DependencyUnavailableException e) {
        long seconds = Math.max(1, (long) Math.ceil(e.retryAfter().toMillis() / 1000.0));
        String message = e.dependency() + " " + e.reason().phrase() + ", retry after " + seconds + " s";
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(503, message))
                .header(HttpHeaders.RETRY_AFTER, seconds)
                .build();
    }

    /** The body: {@code {"code": 503, "message": "..."}}, the shape of every error of a Bulwark API. */
    public record ErrorBody(int code, String message) {
    }
}
