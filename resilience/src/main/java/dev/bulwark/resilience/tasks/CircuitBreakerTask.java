package dev.bulwark.resilience.tasks;

import dev.bulwark.resilience.CircuitState;
import dev.bulwark.resilience.Dependency;
import dev.bulwark.resilience.DependencyRegistry;
import dev.bulwark.resilience.Resilient;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin task {@code POST /tasks/circuit-breaker?name=database&action=open}: lets an operator force a
 * dependency's breaker {@code open} (calls fail fast), {@code close} it, or {@code reset} it (close and
 * forget the failures counted so far). It prints, and logs, the state before and after.
 *
 * <p>Bad input (a missing, repeated or unknown parameter, an unknown name or action) changes nothing
 * and fails with an {@link IllegalArgumentException} whose message says what was wrong and lists the
 * allowed values. Dropwizard 5.0.1's {@code TaskServlet} answers every exception a task throws with
 * {@code 500} and the exception's message as the plain-text body (a stack trace only if
 * {@code printStackTraceOnError} is set); no exception type gives a 4xx, and a task cannot set the status
 * itself, so operators see a 500 whose body explains the mistake. A dependency built without a breaker
 * is refused the same way ({@link IllegalStateException}). Thread-safe.
 */
public final class CircuitBreakerTask extends Task {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakerTask.class);
    private static final Map<String, Consumer<Resilient>> ACTIONS = Map.of(
            "open", Resilient::openBreaker, "close", Resilient::closeBreaker, "reset", Resilient::resetBreaker);
    private static final String ACTION_VALUES = "open|close|reset";
    private static final Set<String> PARAMETERS = Set.of("name", "action");

    private final DependencyRegistry dependencies;

    /** A task for the dependencies of {@code dependencies} (read at each request), addressed by name. */
    public CircuitBreakerTask(DependencyRegistry dependencies) {
        super("circuit-breaker");
        this.dependencies = dependencies;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        String names = dependencies.names();
        for (String parameter : parameters.keySet()) {
            if (!PARAMETERS.contains(parameter)) {
                throw new IllegalArgumentException("unknown parameter " + quote(parameter) + "; use name=" + names
                        + "&action=" + ACTION_VALUES);
            }
        }
        String name = single(parameters, "name", names);
        String action = single(parameters, "action", ACTION_VALUES);
        Resilient resilient = dependencies.get(name).map(Dependency::resilient).orElseThrow(
                () -> new IllegalArgumentException("unknown name " + quote(name) + "; use name=" + names));
        Consumer<Resilient> change = ACTIONS.get(action);
        if (change == null) {
            throw new IllegalArgumentException("unknown action " + quote(action) + "; use action=" + ACTION_VALUES);
        }
        if (!resilient.hasCircuitBreaker()) {
            throw new IllegalStateException(name + " has no circuit breaker (it is disabled in the configuration)");
        }
        CircuitState before = resilient.state();
        change.accept(resilient);
        String result = name + " circuit breaker " + resilient.state() + " (was " + before + "), consecutive failures "
                + resilient.consecutiveFailures();
        LOG.warn("Operator task {}: {}", action, result);
        output.println(result);
    }

    private static String single(Map<String, List<String>> parameters, String parameter, String allowed) {
        List<String> values = parameters.getOrDefault(parameter, List.of());
        if (values.size() != 1) {
            String problem = values.isEmpty() ? "missing parameter " : "repeated parameter ";
            throw new IllegalArgumentException(problem + parameter + "; give it once: " + parameter + "=" + allowed);
        }
        return values.get(0);
    }

    // The value came from the request and goes into a log line: keep it short and on one line.
    private static String quote(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return "'" + (printable.length() > 40 ? printable.substring(0, 40) + "…" : printable) + "'";
    }
}
