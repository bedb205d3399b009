package dev.bulwark.service.errors;

import io.dropwizard.jersey.validation.JerseyViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Turns bean-validation failures into 422 {@code {"code": 422, "message": "name must be ..."}}, naming
 * each field (sorted, so the message is stable). Stateless and thread-safe.
 */
public final class ConstraintErrorMapper implements ExceptionMapper<JerseyViolationException> {

    @Override
    public Response toResponse(JerseyViolationException e) {
        String message = e.getConstraintViolations().stream()
                .map(v -> subject(v) + " " + v.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return Errors.response(422, message);
    }

    // A violation on a body field is reported by the field's name; one on the body itself as "request body".
    private static String subject(ConstraintViolation<?> violation) {
        return StreamSupport.stream(violation.getPropertyPath().spliterator(), false)
                .filter(node -> node.getKind() == ElementKind.PROPERTY)
                .map(Path.Node::getName)
                .reduce((first, second) -> first + "." + second)
                .orElse("request body");
    }
}
