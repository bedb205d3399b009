package dev.bulwark.service.errors;

import dev.bulwark.service.api.ErrorBody;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds the JSON error responses every mapper returns. Stateless. */
final class Errors {

    private Errors() {
    }

    /** At most {@code max} characters of what a client sent, so an error message can't be made huge. */
    static String abbreviate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max) + "...";
    }

    static Response response(int status, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(status, message))
                .build();
    }
}
