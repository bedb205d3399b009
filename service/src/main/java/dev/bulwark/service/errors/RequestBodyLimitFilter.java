package dev.bulwark.service.errors;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Rejects request bodies over a limit with 413 before any of it is parsed: at once when
 * Content-Length says so, otherwise (chunked bodies) as soon as the limit is passed while reading.
 * Bodies within the limit are buffered, which is cheap at this size. Thread-safe.
 */
@PreMatching
public final class RequestBodyLimitFilter implements ContainerRequestFilter {

    /** The default limit: 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private final int limit;

    public RequestBodyLimitFilter(int limit) {
        this.limit = limit;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (request.getLength() > limit) {
            request.abortWith(tooLarge());
            return;
        }
        if (!request.hasEntity()) {
            return;
        }
        InputStream in = request.getEntityStream();
        byte[] body = in.readNBytes(limit + 1);
        if (body.length > limit) {
            request.abortWith(tooLarge());
            return;
        }
        request.setEntityStream(new ByteArrayInputStream(body));
    }

    private jakarta.ws.rs.core.Response tooLarge() {
        return Errors.response(413, "request body is larger than " + limit / 1024 + " KiB");
    }
}
