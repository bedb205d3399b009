package dev.bulwark.resilience.jdbi;

/** Reads what may be shown of a JDBC URL. Stateless. */
final class JdbcUrls {

    private JdbcUrls() {
    }

    /**
     * {@code host:port} (or {@code a:5432,b:5432}) of a {@code jdbc:postgresql://host[:port][/db][?params]} URL,
     * for log lines and errors; never its user, password or parameters.
     */
    static String address(String url) {
        String rest = url.replaceFirst("^jdbc:[a-z]+://", "");
        int end = rest.length();
        for (char stop : new char[] {'/', '?'}) {
            int at = rest.indexOf(stop);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        String hosts = rest.substring(0, end).replaceFirst("^.*@", "");
        if (hosts.isEmpty()) {
            return "localhost:5432";
        }
        return hosts.contains(":") || hosts.contains(",") ? hosts : hosts + ":5432";
    }
}
