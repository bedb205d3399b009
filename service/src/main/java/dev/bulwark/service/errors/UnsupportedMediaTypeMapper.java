package dev.bulwark.service.errors;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** 415 with a message that names the Content-Type received and the one required. Thread-safe. */
public final class UnsupportedMediaTypeMapper implements ExceptionMapper<NotSupportedException> {

    @Context
    private HttpHeaders headers;

    @Override
    public Response toResponse(NotSupportedException e) {
        String received = headers == null ? null : headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        String what = received == null ? "no Content-Type" : "Content-Type '" + Errors.abbreviate(received, 80) + "'";
        return Errors.response(415, "unsupported media type: got " + what + ", send application/json");
    }
}
