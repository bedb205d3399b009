package dev.bulwark.service.errors;

import dev.bulwark.resilience.DependencyUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * A dependency that is down (breaker open, retries exhausted) answers 503 at once with
 * {@code Retry-After} and {@code {"code": 503, "message": "database unavailable, retry after N s"}},
 * instead of holding a request thread. The message never carries the underlying error (it could
 * name hosts or users). Stateless and thread-safe.
 */
public final class DependencyUnavailableMapper implements ExceptionMapper<DependencyUnavailableException> {

    @Override
    public Response toResponse(DependencyUnavailableException e) {
        return unavailable(e);
    }

    static Response unavailable(DependencyUnavailableException e) {
        long seconds = Math.max(1, (long) Math.ceil(e.retryAfter().toMillis() / 1000.0));
        return Response.fromResponse(Errors.response(503, e.dependency() + " unavailable, retry after " + seconds + " s"))
                .header(HttpHeaders.RETRY_AFTER, seconds)
                .build();
    }
}
