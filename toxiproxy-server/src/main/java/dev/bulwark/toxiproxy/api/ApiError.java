package dev.bulwark.toxiproxy.api;

/**
 * A failure the control API reports to its caller as {@code {"error": message, "status": status}}.
 *
 * <p>The messages are the ones the Go Toxiproxy server uses, so the official Java client's
 * {@code IOException("[status] message")} reads the same against either server. Immutable; thread-safe.
 */
public final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiError badRequestBody(String detail) {
        return new ApiError(400, "bad request body: " + detail);
    }

    public static ApiError missingField(String field) {
        return new ApiError(400, "missing required field: " + field);
    }

    public static ApiError proxyNotFound() {
        return new ApiError(404, "proxy not found");
    }

    public static ApiError proxyAlreadyExists() {
        return new ApiError(409, "proxy already exists");
    }

    public static ApiError invalidStream() {
        return new ApiError(400, "stream was invalid, can be either upstream or downstream");
    }

    public static ApiError invalidToxicType() {
        return new ApiError(400, "invalid toxic type");
    }

    public static ApiError toxicAlreadyExists() {
        return new ApiError(409, "toxic already exists");
    }

    public static ApiError toxicNotFound() {
        return new ApiError(404, "toxic not found");
    }

    public static ApiError listenFailed(String address, String detail) {
        return new ApiError(500, "listen tcp " + address + ": " + detail);
    }
}
