package dev.bulwark.service.errors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.stream.Collectors;

/**
 * Turns request-body JSON errors into a JSON error that says what was wrong: 400 for JSON that does
 * not parse, an unknown field or a body of the wrong shape; 422 naming the field for a value of the
 * wrong type or out of range. Stateless and thread-safe.
 */
public final class JsonBodyErrorMapper implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String allowed = unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", "));
            return Errors.response(400, "unknown field '" + unknown.getPropertyName() + "' in request body; allowed: "
                    + allowed);
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            return Errors.response(422, field(mismatch) + " " + expectation(mismatch));
        }
        // Jackson reports a number too large for its field without a path; the parser still knows the field.
        if (causedBy(e, InputCoercionException.class) && e.getProcessor() instanceof JsonParser parser
                && parser.getParsingContext().getCurrentName() != null) {
            return Errors.response(422, parser.getParsingContext().getCurrentName() + " is out of range: "
                    + e.getOriginalMessage().replaceAll("^Numeric value \\([^)]*\\) ", "value "));
        }
        if (e instanceof MismatchedInputException) {
            return Errors.response(400, "request body must be a JSON object such as {\"name\": \"widget\", "
                    + "\"quantity\": 3}");
        }
        return Errors.response(400, "malformed JSON in request body: " + e.getOriginalMessage() + at(e.getLocation()));
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String field(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String expectation(MismatchedInputException e) {
        Class<?> type = e.getTargetType();
        String wanted = type == null ? "of another type"
                : Number.class.isAssignableFrom(type) || type.isPrimitive() ? "must be an integer"
                : CharSequence.class.isAssignableFrom(type) ? "must be a string"
                : "has the wrong type";
        if (e instanceof InvalidFormatException invalid && invalid.getValue() != null) {
            return wanted + ", got '" + Errors.abbreviate(String.valueOf(invalid.getValue()), 40) + "'";
        }
        return wanted;
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
