package dev.bulwark.toxiproxy;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Runs the Toxiproxy-compatible server standalone:
 * {@code java -jar toxiproxy-server/target/toxiproxy-server.jar --host 127.0.0.1 --port 8474 [--config proxies.json]}.
 *
 * <p>Prints {@code listening on http://host:port} once the API answers, then serves until the process
 * is stopped. Exit codes: 2 for bad arguments, 1 when the server cannot start or the config is
 * invalid (nothing is left listening), 0 for {@code --help}. Stopping the process (SIGTERM) closes
 * every proxy and its connections. Holds no state of its own.
 */
public final class Main {

    static final int EXIT_CANNOT_START = 1;
    static final int EXIT_BAD_ARGUMENTS = 2;

    private Main() {
    }

    public static void main(String[] args) {
        int exitCode = run(args, System.out, System.err);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /**
     * Starts the server unless the arguments are bad or ask for help.
     *
     * @return 0 when the server is running (or help was printed), otherwise the exit code
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        ServerOptions options;
        try {
            options = ServerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("toxiproxy-server: " + e.getMessage());
            err.println(ServerOptions.USAGE);
            return EXIT_BAD_ARGUMENTS;
        }
        if (options.help()) {
            out.println(ServerOptions.USAGE);
            return 0;
        }
        ToxiproxyServer server;
        try {
            server = ToxiproxyServer.start(options.host(), options.port());
        } catch (IOException | RuntimeException e) {
            err.println("toxiproxy-server: cannot listen on " + options.host() + ":" + options.port() + ": " + e);
            return EXIT_CANNOT_START;
        }
        if (options.config().isPresent()) {
            try {
                int count = server.populate(options.config().get());
                out.println("created " + count + " proxies from " + options.config().get());
            } catch (IOException | IllegalArgumentException e) {
                err.println("toxiproxy-server: cannot load config: " + e.getMessage());
                server.close();
                return EXIT_CANNOT_START;
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "toxiproxy-shutdown"));
        out.println("listening on " + server.baseUrl());
        out.flush();
        return 0;
    }
}
