package dev.bulwark.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The standalone server's command line and its exit codes for bad arguments and help. */
class ServerOptionsTest {

    @Test
    void shouldDefaultToLoopbackAndTheToxiproxyPort() {
        assertThat(ServerOptions.parse()).isEqualTo(new ServerOptions("127.0.0.1", 8474, Optional.empty(), false));
    }

    @Test
    void shouldReadEveryOptionInBothForms() {
        ServerOptions options = ServerOptions.parse("--host", "0.0.0.0", "--port=0", "--config", "proxies.json");

        assertThat(options).isEqualTo(new ServerOptions("0.0.0.0", 0, Optional.of(Path.of("proxies.json")), false));
    }

    @Test
    void shouldNameTheBadArgument() {
        assertThatThrownBy(() -> ServerOptions.parse("--verbose")).hasMessage("unknown option --verbose");
        assertThatThrownBy(() -> ServerOptions.parse("--port")).hasMessage("missing value for --port");
        assertThatThrownBy(() -> ServerOptions.parse("--port", "99999")).hasMessageContaining("invalid port 99999");
        assertThatThrownBy(() -> ServerOptions.parse("--port", "http")).hasMessageContaining("invalid port http");
        assertThatThrownBy(() -> ServerOptions.parse("--host=")).hasMessage("empty value for --host");
    }

    @Test
    void shouldExitWithTwoAndPrintUsageForBadArguments() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exitCode = Main.run(new String[] {"--bogus"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --bogus").contains("Usage:");
    }

    @Test
    void shouldPrintUsageForHelpAndStartNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exitCode = Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));

        assertThat(exitCode).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--config FILE");
    }
}
