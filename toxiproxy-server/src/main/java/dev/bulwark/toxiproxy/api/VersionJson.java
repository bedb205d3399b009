package dev.bulwark.toxiproxy.api;

/**
 * Wire type: the reply to {@code GET /version}.
 *
 * @param version the Toxiproxy API version this server speaks
 */
record VersionJson(String version) {

    /** The Go server release whose API and toxic semantics this server follows. */
    static final String COMPATIBLE_VERSION = "2.12.0";
}
