package dev.bulwark.toxiproxy.api;

/**
 * Wire type: every error body, {@code {"error": "...", "status": N}}. The Java client turns it into
 * {@code IOException("[N] ...")} and fails on any other shape.
 *
 * @param error  what went wrong
 * @param status the HTTP status, repeated
 */
record ErrorJson(String error, int status) {
}
