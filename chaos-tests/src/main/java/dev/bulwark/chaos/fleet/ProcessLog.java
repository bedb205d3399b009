package dev.bulwark.chaos.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the log file a child process of the fleet writes its output to (stdout and stderr, appended). */
final class ProcessLog {

    private ProcessLog() {
    }

    /** The log's text, or a line saying why there is none. */
    static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<no output in " + log + ": " + e.getMessage() + ">";
        }
    }
}
