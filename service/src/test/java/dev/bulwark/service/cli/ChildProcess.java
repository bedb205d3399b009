package dev.bulwark.service.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The service jar run as a real child process, with its output collected line by line. */
final class ChildProcess implements AutoCloseable {

    /** The jar `mvn package` builds; failsafe runs after it. */
    static final Path JAR = Path.of("target", "bulwark-service.jar");

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private ChildProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::collect, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    static ChildProcess start(Map<String, String> env, String... args) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run `mvn verify`, which packages it");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new ChildProcess(builder.start());
    }

    Process process() {
        return process;
    }

    String output() {
        return String.join("\n", lines);
    }

    /** The first group of the first output line matching {@code regex}, if any yet. */
    Optional<Matcher> firstMatch(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return lines.stream().map(pattern::matcher).filter(Matcher::find).findFirst();
    }

    private void collect() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("<output closed: " + e.getMessage() + ">");
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
