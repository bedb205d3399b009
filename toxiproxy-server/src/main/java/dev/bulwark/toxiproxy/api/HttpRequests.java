package dev.bulwark.toxiproxy.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading what a control API request carries: its path segments and its size-capped body. */
final class HttpRequests {

    /** How much of an oversized body is read and discarded so the client can read the 413. */
    private static final long MAX_DISCARDED_BYTES = 64L * 1024 * 1024;

    private HttpRequests() {
    }

    /** Percent-decoded path segments: {@code /proxies/redis%3A6379/toxics} gives three. */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        String trimmed = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (trimmed.isEmpty()) {
            return segments;
        }
        for (String segment : trimmed.split("/", -1)) {
            // '+' is a literal plus in a path, unlike in a form, so keep it from turning into a space.
            segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return segments;
    }

    /**
     * The request body, whether or not a Content-Length was sent.
     *
     * @throws ApiError 413 when it is larger than {@value ControlApi#MAX_BODY_BYTES} bytes
     */
    static byte[] body(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(ControlApi.MAX_BODY_BYTES + 1);
            if (body.length > ControlApi.MAX_BODY_BYTES) {
                discard(in);
                throw new ApiError(413, "request body too large: the limit is " + ControlApi.MAX_BODY_BYTES + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void discard(InputStream in) throws IOException {
        byte[] sink = new byte[64 * 1024];
        long discarded = 0;
        int count;
        while (discarded < MAX_DISCARDED_BYTES && (count = in.read(sink)) >= 0) {
            discarded += count;
        }
    }
}
