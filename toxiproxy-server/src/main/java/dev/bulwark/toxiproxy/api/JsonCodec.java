package dev.bulwark.toxiproxy.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Reads request bodies and writes replies. Type checks are as strict as Go's decoder: a number is not
 * a string, a string is not a boolean, {@code 1.5} is not an integer; unknown fields are ignored.
 * Any failure to read becomes 400 {@code bad request body: <detail>}. Thread-safe once built.
 */
public final class JsonCodec {

    private final ObjectMapper mapper = new ObjectMapper();

    public JsonCodec() {
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }

    ProxyRequest readProxy(byte[] body) {
        return read(body, new TypeReference<>() { });
    }

    public List<ProxyRequest> readProxies(byte[] body) {
        List<ProxyRequest> proxies = read(body, new TypeReference<>() { });
        if (proxies.contains(null)) {
            throw ApiError.badRequestBody("null is not a proxy");
        }
        return proxies;
    }

    ToxicRequest readToxic(byte[] body) {
        return read(body, new TypeReference<>() { });
    }

    public byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(byte[] body, TypeReference<T> type) {
        if (isBlank(body)) {
            // Go's decoder reports an empty body as EOF; the same text keeps messages aligned.
            throw ApiError.badRequestBody("EOF");
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw ApiError.badRequestBody("null is not a valid body");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequestBody(e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequestBody(e.getMessage());
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
