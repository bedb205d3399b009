package dev.bulwark.toxiproxy.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Wire type: the body of {@code POST /proxies}, of each element of {@code POST /populate}, and of a
 * proxy update. Every field may be absent (null); unknown fields are ignored.
 *
 * @param name     proxy name, required on create; may contain {@code :}
 * @param listen   {@code host:port} to listen on; default {@value #DEFAULT_LISTEN}
 * @param upstream {@code host:port} to dial for each connection, required on create
 * @param enabled  whether the proxy listens; default true on create
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProxyRequest(String name, String listen, String upstream, Boolean enabled) {

    /** Where a proxy listens when no address is given: loopback, on a free port. */
    static final String DEFAULT_LISTEN = "127.0.0.1:0";

    /** @throws ApiError 400 "missing required field: ..." naming the first missing field */
    public void requireNameAndUpstream(String suffix) {
        if (name == null || name.isEmpty()) {
            throw ApiError.missingField("name" + suffix);
        }
        if (upstream == null || upstream.isEmpty()) {
            throw ApiError.missingField("upstream" + suffix);
        }
    }

    public String listenOrDefault() {
        return listen == null || listen.isEmpty() ? DEFAULT_LISTEN : listen;
    }

    public boolean enabledOrDefault() {
        return enabled == null || enabled;
    }
}
