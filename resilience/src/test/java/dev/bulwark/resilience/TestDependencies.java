package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;

/** Dependencies with millisecond backoff and a budget that never runs dry, for tests of what watches them. */
public final class TestDependencies {

    /** A connection URL as a driver might echo it in an error, credentials and all. */
    public static final String URL_WITH_CREDENTIALS = "postgresql://bulwark:s3cret@db:5432/x?password=s3cret";

    private TestDependencies() {
    }

    public static ResilientBuilder fast(String name) {
        return Resilient.builder(name)
                .withMaxRetries(1)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).withJitter(0)
                .withRetryBudget(new RetryBudget(0.2, 1000, () -> 0L));
    }

    /** A registry of these dependencies, each with an idle pool and a check that always answers. */
    public static DependencyRegistry registry(Resilient... dependencies) {
        DependencyRegistry registry = new DependencyRegistry();
        for (Resilient resilient : dependencies) {
            registry.register(new Dependency(resilient.name(), resilient, () -> new PoolSnapshot(0, 1, 0, 1), () -> { }));
        }
        return registry;
    }

    /** Makes one call through {@code resilient} that is refused on every attempt. */
    public static void failCall(Resilient resilient, String message) {
        assertThatThrownBy(() -> resilient.call(() -> {
            throw new ConnectException(message);
        })).isInstanceOf(DependencyUnavailableException.class);
    }
}
