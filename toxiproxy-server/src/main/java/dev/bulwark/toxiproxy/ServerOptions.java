package dev.bulwark.toxiproxy;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The standalone server's command line: {@code [--host H] [--port P] [--config FILE] [--help]}.
 * Each option also accepts the {@code --name=value} form. Immutable; thread-safe.
 *
 * @param host   control API address; default {@value ToxiproxyServer#DEFAULT_HOST}
 * @param port   control API port, 0 for a free one; default {@value ToxiproxyServer#DEFAULT_PORT}
 * @param config proxies to create at start, in the {@code /populate} format
 * @param help   whether usage was asked for
 */
public record ServerOptions(String host, int port, Optional<Path> config, boolean help) {

    /** The usage text printed for {@code --help} and after a bad argument. */
    public static final String USAGE = """
            Usage: java -jar toxiproxy-server.jar [--host HOST] [--port PORT] [--config FILE]
              --host HOST    address for the control API (default 127.0.0.1)
              --port PORT    port for the control API, 0 for a free one (default 8474)
              --config FILE  JSON array of proxies to create at start (the /populate format)
              --help         print this help""";

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException naming the bad argument
     */
    public static ServerOptions parse(String... args) {
        String host = ToxiproxyServer.DEFAULT_HOST;
        int port = ToxiproxyServer.DEFAULT_PORT;
        Optional<Path> config = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (name.equals("--help") || name.equals("-h")) {
                return new ServerOptions(host, port, config, true);
            }
            if (!name.equals("--host") && !name.equals("--port") && !name.equals("--config")) {
                throw new IllegalArgumentException("unknown option " + arg);
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("missing value for " + name);
            }
            switch (name) {
                case "--host" -> host = requireNonBlank(name, value);
                case "--port" -> port = parsePort(value);
                default -> config = Optional.of(Path.of(requireNonBlank(name, value)));
            }
        }
        return new ServerOptions(host, port, config, false);
    }

    private static String requireNonBlank(String name, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("empty value for " + name);
        }
        return value;
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Reported below with the offending value.
        }
        throw new IllegalArgumentException("invalid port " + value + " (expected 0 to 65535)");
    }
}
