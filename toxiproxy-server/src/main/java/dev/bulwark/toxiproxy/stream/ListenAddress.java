package dev.bulwark.toxiproxy.stream;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A {@code host:port} as written in a proxy's {@code listen} or {@code upstream}. The host may be a
 * name, an IPv4 address, a bracketed IPv6 address, or empty (all interfaces, as Go's {@code :port}).
 * Immutable; thread-safe.
 *
 * @param host host part, without brackets; empty for the wildcard address
 * @param port 0 to 65535; 0 asks for an ephemeral port when listening
 */
record ListenAddress(String host, int port) {

    /** @throws IllegalArgumentException with a message fit for an API error */
    static ListenAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address " + text + ": missing port in address");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("address " + text + ": too many colons in address");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address " + text + ": invalid port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("address " + text + ": invalid port");
        }
        return new ListenAddress(host, port);
    }

    /** Resolves the host now (names are looked up on every call). */
    InetSocketAddress resolve() {
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** {@code ip:port} of a bound socket, e.g. {@code 127.0.0.1:40123} or {@code [::1]:40123}. */
    static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
        return host + ":" + address.getPort();
    }
}
