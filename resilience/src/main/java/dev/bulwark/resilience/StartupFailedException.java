package dev.bulwark.resilience;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * A dependency could not be reached at start-up, so the service must not start: thrown by
 * {@link StartupGate#await} after its last attempt, or when the wait was interrupted. The message is
 * one line meant to be printed once before the process exits non-zero, for example
 * {@code database at 127.0.0.1:5432 unreachable after 10 attempts over 45 s; last error: Connection refused}.
 *
 * <p>The message and {@link #lastError()} are {@linkplain Sanitizer sanitised}. The probe's own exception
 * is deliberately not kept as the cause: its messages may carry credentials. Its stack trace says nothing an
 * operator needs, so it prints itself as that one line, {@code Start-up failed: <message>}: a Dropwizard command
 * that fails with it (its {@code onError} prints the exception) ends with that line instead of a trace, with no
 * command of ours to install. Immutable.
 */
public final class StartupFailedException extends RuntimeException {

    private final String dependency;
    private final String address;
    private final int attempts;
    private final String lastError;

    StartupFailedException(String message, String dependency, String address, int attempts, String lastError,
                           Throwable cause) {
        super(message, cause);
        this.dependency = dependency;
        this.address = address;
        this.attempts = attempts;
        this.lastError = lastError;
    }

    /** The one line a failed start-up prints: {@code Start-up failed: <message>}. */
    @Override
    public void printStackTrace(PrintWriter out) {
        out.println("Start-up failed: " + getMessage());
    }

    @Override
    public void printStackTrace(PrintStream out) {
        out.println("Start-up failed: " + getMessage());
    }

    /** The dependency's name, e.g. {@code database} or {@code redis}. */
    public String dependency() {
        return dependency;
    }

    /** The {@code host:port} that was tried, as given to the gate. */
    public String address() {
        return address;
    }

    /** Attempts actually made, at least 1 (fewer than configured if the wait was interrupted). */
    public int attempts() {
        return attempts;
    }

    /** The last attempt's error, sanitised; null if the wait was interrupted before any attempt failed. */
    public String lastError() {
        return lastError;
    }
}
