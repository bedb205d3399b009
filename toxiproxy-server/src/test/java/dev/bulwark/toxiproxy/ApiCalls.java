package dev.bulwark.toxiproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Raw HTTP calls to a control API, for checking status codes and bodies exactly. Thread-safe. */
final class ApiCalls {

    /** A reply: status, raw body, and the body parsed as JSON (null when empty). */
    record Reply(int status, String body, JsonNode json) {
        String error() {
            return json.get("error").asText();
        }
    }

    private final ObjectMapper mapper = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    ApiCalls(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    Reply post(String path, String body) {
        return send("POST", path, body);
    }

    Reply patch(String path, String body) {
        return send("PATCH", path, body);
    }

    Reply delete(String path) {
        return send("DELETE", path, null);
    }

    Reply send(String method, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                // The Java client labels its JSON as a form; the server must not care.
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode json = body.isEmpty() ? null : mapper.readTree(body);
            return new Reply(response.statusCode(), body, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
