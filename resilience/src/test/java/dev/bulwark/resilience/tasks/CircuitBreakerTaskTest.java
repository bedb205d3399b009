package dev.bulwark.resilience.tasks;

import static dev.bulwark.resilience.TestDependencies.failCall;
import static dev.bulwark.resilience.TestDependencies.fast;
import static dev.bulwark.resilience.TestDependencies.registry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import dev.bulwark.resilience.CircuitState;
import dev.bulwark.resilience.FakeHttp;
import dev.bulwark.resilience.Resilient;
import io.dropwizard.servlets.tasks.TaskServlet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CircuitBreakerTaskTest {

    private final Resilient database = fast("database").withMaxRetries(0)
            .withCircuitBreaker(5, Duration.ofSeconds(60)).build();
    private final Resilient redis = fast("redis").build();
    private final CircuitBreakerTask task = new CircuitBreakerTask(registry(database, redis));
    private final StringWriter output = new StringWriter();

    @Test
    void shouldForceTheNamedBreakerOpenAndSaySo() {
        run(Map.of("name", List.of("redis"), "action", List.of("open")));

        assertThat(redis.state()).isEqualTo(CircuitState.OPEN);
        assertThat(database.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(output.toString().strip()).isEqualTo("redis circuit breaker OPEN (was CLOSED), consecutive failures 0");
    }

    @Test
    void shouldCloseAnOpenBreaker() {
        database.openBreaker();

        run(Map.of("name", List.of("database"), "action", List.of("close")));

        assertThat(database.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(output.toString()).startsWith("database circuit breaker CLOSED (was OPEN)");
    }

    @Test
    void shouldForgetCountedFailuresOnReset() {
        failCall(database, "Connection refused");
        failCall(database, "Connection refused");

        run(Map.of("name", List.of("database"), "action", List.of("reset")));

        assertThat(database.consecutiveFailures()).isZero();
        assertThat(output.toString().strip()).isEqualTo(
                "database circuit breaker CLOSED (was CLOSED), consecutive failures 0");
    }

    static List<Arguments> badInput() {
        return List.of(
                Arguments.of(Map.of("action", List.of("open")),
                        "missing parameter name; give it once: name=database|redis"),
                Arguments.of(Map.of("name", List.of("database")),
                        "missing parameter action; give it once: action=open|close|reset"),
                Arguments.of(Map.of("name", List.of("database", "redis"), "action", List.of("open")),
                        "repeated parameter name; give it once: name=database|redis"),
                Arguments.of(Map.of("name", List.of("postgres"), "action", List.of("open")),
                        "unknown name 'postgres'; use name=database|redis"),
                Arguments.of(Map.of("name", List.of("database"), "action", List.of("trip")),
                        "unknown action 'trip'; use action=open|close|reset"),
                Arguments.of(Map.of("nmae", List.of("database"), "action", List.of("open")),
                        "unknown parameter 'nmae'; use name=database|redis&action=open|close|reset"));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void shouldRefuseBadInputSayingWhatWasWrongAndChangeNothing(Map<String, List<String>> parameters, String message) {
        failCall(database, "Connection refused");

        assertThatThrownBy(() -> task.execute(parameters, new PrintWriter(output)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);

        assertThat(database.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(database.consecutiveFailures()).isEqualTo(1);
        assertThat(redis.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(output.toString()).isEmpty();
    }

    @Test
    void shouldRefuseToOpenABreakerThatIsDisabled() {
        Resilient unguarded = fast("redis").withoutCircuitBreaker().build();

        assertThatThrownBy(() -> new CircuitBreakerTask(registry(unguarded)).execute(
                Map.of("name", List.of("redis"), "action", List.of("open")), new PrintWriter(output)))
                .hasMessage("redis has no circuit breaker (it is disabled in the configuration)");
    }

    @Test
    void shouldReachTheOperatorAsA500WithTheMessageBecauseTaskServletMapsEveryExceptionSo() throws Exception {
        // Given the task behind Dropwizard's own TaskServlet, as on the admin port
        TaskServlet servlet = new TaskServlet(new MetricRegistry());
        servlet.add(task);
        FakeHttp.Response response = new FakeHttp.Response();

        // When an operator names a dependency that does not exist
        servlet.service(FakeHttp.request("POST", "/circuit-breaker",
                Map.of("name", List.of("postgres"), "action", List.of("open"))), response.servletResponse());

        // Then Dropwizard 5.0.1 answers 500 (it has no 4xx for a task's exception) with our message, no stack trace
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.body().strip()).isEqualTo("unknown name 'postgres'; use name=database|redis");
    }

    private void run(Map<String, List<String>> parameters) {
        task.execute(parameters, new PrintWriter(output, true));
    }
}
