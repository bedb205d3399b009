package dev.bulwark.toxiproxy;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The standalone jar running as a child process ({@code java -jar toxiproxy-server.jar ...}), with
 * its stdout lines collected and its stderr kept in a file. Closing destroys the process and waits
 * for it to end. Thread-safe.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path stderr;
    private final List<String> stdout = new CopyOnWriteArrayList<>();

    private ServerProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(this::collectStdout, "server-process-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static ServerProcess start(String... args) throws IOException {
        Path jar = Path.of(System.getProperty("toxiproxy.server.jar", "target/toxiproxy-server.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the package phase first");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("toxiproxy-server", ".stderr");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new ServerProcess(process, stderr);
    }

    /** Waits for the {@code listening on <url>} line and returns the URL. */
    String awaitBaseUrl() {
        await().atMost(START_TIMEOUT).until(() -> listeningLine() != null || !process.isAlive());
        String line = listeningLine();
        if (line == null) {
            throw new IllegalStateException("server exited with " + process.exitValue() + ": " + stderr());
        }
        return line.substring("listening on ".length()).trim();
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit() {
        await().atMost(START_TIMEOUT).until(() -> !process.isAlive());
        return process.exitValue();
    }

    List<String> stdout() {
        return List.copyOf(stdout);
    }

    String stderr() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        await().atMost(START_TIMEOUT).until(() -> !process.isAlive());
        Files.deleteIfExists(stderr);
    }

    private String listeningLine() {
        return stdout.stream().filter(line -> line.startsWith("listening on ")).findFirst().orElse(null);
    }

    private void collectStdout() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                stdout.add(line);
            }
        } catch (IOException e) {
            // The process ended: there is nothing more to collect.
        }
    }
}
