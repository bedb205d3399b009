package dev.bulwark.service.errors;

import io.dropwizard.jersey.errors.EarlyEofExceptionMapper;
import io.dropwizard.jersey.errors.IllegalStateExceptionMapper;
import io.dropwizard.jersey.errors.LoggingExceptionMapper;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;

/**
 * The API's error handling as one Jersey feature: the mappers that answer every error as JSON
 * {@code {"code": N, "message": "..."}} and the 64 KiB request body limit. Dropwizard's default mappers
 * answer 422s and JSON errors in other shapes, so whoever registers this turns them off
 * ({@code setRegisterDefaultExceptionMappers(false)}); the generic ones are re-added here. The application and
 * the resource tests both register this, so the tests run the error handling users get. Stateless.
 */
public final class ErrorHandling implements Feature {

    @Override
    public boolean configure(FeatureContext context) {
        context.register(new LoggingExceptionMapper<Throwable>() { });
        context.register(new EarlyEofExceptionMapper());
        context.register(new IllegalStateExceptionMapper());
        context.register(new JsonBodyErrorMapper());
        context.register(new ConstraintErrorMapper());
        context.register(new UnsupportedMediaTypeMapper());
        context.register(new RequestBodyLimitFilter(RequestBodyLimitFilter.DEFAULT_LIMIT));
        return true;
    }
}
