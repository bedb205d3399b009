package dev.bulwark.service.testing;

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

/**
 * The service jar run as a real child process, with its output collected line by line. Other modules'
 * tests use it too (the service's test-jar): they set the system properties {@value #JAR_SETTING} and
 * {@value #CONFIG_SETTING}, since their working directory is not {@code service/}.
 */
public final class ChildProcess implements AutoCloseable {

    /** System property: the service jar, by default {@code target/bulwark-service.jar}. */
    public static final String JAR_SETTING = "bulwark.service.jar";
    /** System property: the config file, by default {@code config.yml}. */
    public static final String CONFIG_SETTING = "bulwark.service.config";

    /** The jar `mvn package` builds; failsafe runs after it. */
    private static final Path JAR = Path.of(System.getProperty(JAR_SETTING, "target/bulwark-service.jar"));
    /** The config file operators pass to {@code server}. */
    public static final String CONFIG = System.getProperty(CONFIG_SETTING, "config.yml");

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private ChildProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::collect, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Runs {@code java -jar bulwark-service.jar args...} with {@code env} added to this JVM's environment. */
    public static ChildProcess start(Map<String, String> env, String... args) throws IOException {
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

    public Process process() {
        return process;
    }

    /** Every line printed so far, stdout and stderr together. */
    public String output() {
        return String.join("\n", lines);
    }

    /** The first group of the first output line matching {@code regex}, if any yet. */
    public Optional<Matcher> firstMatch(String regex) {
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
