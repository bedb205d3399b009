package dev.bulwark.resilience.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A parsed {@code redis://[[user]:password@]host[:port][/db]} (or {@code rediss://} for TLS) URL.
 *
 * <p>{@link #toString()} and every error message leave the credentials out, so an endpoint can be
 * logged or shown in health output safely. Immutable and thread-safe.
 *
 * @param host     host name or address
 * @param port     TCP port, 6379 when the URL has none
 * @param database logical database index, 0 when the URL has none
 * @param ssl      true for {@code rediss://}
 * @param user     ACL user, if any
 * @param password password, if any (never printed)
 */
public record RedisEndpoint(String host, int port, int database, boolean ssl,
                            Optional<String> user, Optional<String> password) {

    /** The shape every accepted URL has; error messages quote it instead of the rejected value. */
    public static final String FORMAT = "redis://[:password@]host:port/db";

    private static final int DEFAULT_PORT = 6379;

    /**
     * Parses a Redis URL.
     *
     * @throws IllegalArgumentException naming what is wrong, without echoing credentials
     */
    public static RedisEndpoint parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("is empty; expected " + FORMAT);
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL; expected " + FORMAT);
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("must start with redis:// or rediss://; expected " + FORMAT);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("has no host; expected " + FORMAT);
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("must not have a query or fragment; expected " + FORMAT);
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("has port " + port + " outside 1..65535; expected " + FORMAT);
        }
        return new RedisEndpoint(uri.getHost(), port, database(uri.getPath()), "rediss".equals(scheme),
                userInfoPart(uri, 0), userInfoPart(uri, 1));
    }

    private static int database(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        String db = path.substring(1);
        if (!db.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("has database '" + db + "', which is not a number; expected "
                    + FORMAT);
        }
        return Integer.parseInt(db);
    }

    private static Optional<String> userInfoPart(URI uri, int index) {
        String info = uri.getRawUserInfo();
        if (info == null) {
            return Optional.empty();
        }
        // "redis://secret@host" is the common password-only form; "user:secret" names an ACL user.
        String[] parts = info.split(":", 2);
        String part = parts.length == 1 ? (index == 1 ? parts[0] : "") : parts[index];
        return part.isEmpty() ? Optional.empty() : Optional.of(URLDecoder.decode(part, StandardCharsets.UTF_8));
    }

    /** {@code host:port}, for log lines and health output. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return (ssl ? "rediss://" : "redis://") + address() + "/" + database;
    }
}
