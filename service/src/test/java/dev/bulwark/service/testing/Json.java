package dev.bulwark.service.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** Parses response bodies in tests. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    /** {@code {"name": name, "quantity": quantity}} with proper escaping. */
    public static String item(String name, int quantity) {
        return MAPPER.createObjectNode().put("name", name).put("quantity", quantity).toString();
    }
}
