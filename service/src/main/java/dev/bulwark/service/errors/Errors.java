package dev.bulwark.service.errors;

import dev.bulwark.service.api.ErrorBody;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds the JSON error responses every mapper returns. Stateless. */
final class Errors {

    private Errors() {
    }

    static Response response(int status, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(status, message))
                .build();
    }
}
