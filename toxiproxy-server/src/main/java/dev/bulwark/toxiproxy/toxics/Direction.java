package dev.bulwark.toxiproxy.toxics;

import dev.bulwark.toxiproxy.api.ApiError;
import java.util.Locale;

/**
 * Which way data flows through a toxic: {@link #UPSTREAM} is client to server, {@link #DOWNSTREAM}
 * server to client. On the wire it is the toxic's {@code stream} field; parsing ignores case.
 */
public enum Direction {
    UPSTREAM,
    DOWNSTREAM;

    /** The lower-case name used in JSON. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a {@code stream} value.
     *
     * @throws ApiError 400 "stream was invalid, ..." for anything but upstream or downstream
     */
    static Direction parse(String stream) {
        return switch (stream.toLowerCase(Locale.ROOT)) {
            case "upstream" -> UPSTREAM;
            case "downstream" -> DOWNSTREAM;
            default -> throw ApiError.invalidStream();
        };
    }
}
