package dev.bulwark.service.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.service.api.ErrorBody;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages (requests rejected before they reach the API, such as a URI with {@code %00})
 * as the API's JSON error {@code {"code": N, "message": "..."}} instead of HTML. Never shows stacks.
 * Thread-safe.
 */
public final class JsonErrorHandler extends ErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpField JSON_TYPE = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    // Jetty writes error bodies only for GET, POST and HEAD; a rejected PUT or DELETE deserves one too.
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                 String contentType, List<Charset> charsets, int code,
                                                 String message, Throwable cause) {
        // Jetty's own message is often just the reason phrase; its exception says what was wrong.
        String detail = cause != null && cause.getMessage() != null ? cause.getMessage() : message;
        response.getHeaders().put(JSON_TYPE);
        response.write(true, ByteBuffer.wrap(body(code, detail)), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON_TYPE);
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(int code, String message) {
        // Jetty prefixes some messages with the status ("400: Ambiguous URI..."); the body has it already.
        String reason = message == null || message.isBlank() ? HttpStatus.getMessage(code)
                : message.replaceFirst("^\\d{3}: ", "");
        String text = "request rejected before reaching the API: " + reason;
        try {
            return JSON.writeValueAsBytes(new ErrorBody(code, text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
    }
}
