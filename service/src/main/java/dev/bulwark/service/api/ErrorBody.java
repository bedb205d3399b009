package dev.bulwark.service.api;

/**
 * Every error the API returns: {@code {"code": N, "message": "..."}}, where the message says what
 * was wrong (and never carries a secret).
 *
 * @param code    the HTTP status
 * @param message what was wrong and, where useful, what to do
 */
public record ErrorBody(int code, String message) {
}
