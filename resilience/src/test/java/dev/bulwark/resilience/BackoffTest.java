package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {

    @Test
    void shouldDoubleFromTheIntervalUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30), 0);

        assertThat(IntStream.rangeClosed(1, 7).mapToObj(n -> backoff.delay(n, () -> 0.9).toMillis()))
                .containsExactly(2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
    }

    @Test
    void shouldRetryAtAFixedIntervalWhenTheCapEqualsTheInterval() {
        // DB_RETRY_INTERVAL_MS=5000 DB_MAX_BACKOFF_SECONDS=5 RETRY_JITTER=0: every 5 s, as before.
        Backoff backoff = new Backoff(Duration.ofMillis(5000), Duration.ofSeconds(5), 0);

        assertThat(IntStream.rangeClosed(1, 10).mapToObj(n -> backoff.delay(n, () -> 0.5)))
                .containsOnly(Duration.ofSeconds(5));
    }

    @Test
    void shouldKeepJitteredDelaysWithinTheirBounds() {
        Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30), 0.25);

        assertThat(backoff.delay(1, () -> 0.0)).isEqualTo(Duration.ofMillis(1500));
        assertThat(backoff.delay(1, () -> 0.5)).isEqualTo(Duration.ofMillis(2000));
        assertThat(backoff.delay(1, () -> 0.999999)).isBetween(Duration.ofMillis(2499), Duration.ofMillis(2500));
        assertThat(backoff.delay(9, () -> 0.0)).isEqualTo(Duration.ofMillis(22_500));
    }

    @Test
    void shouldNotOverflowForVeryLateAttempts() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMinutes(5), 0);

        assertThat(backoff.baseDelay(64)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.baseDelay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
    }

    @ParameterizedTest(name = "jitter {0}")
    @ValueSource(doubles = {-0.1, 1.01, Double.NaN})
    void shouldRejectJitterOutside0To1(double jitter) {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), jitter))
                .hasMessageContaining("jitter");
    }

    @Test
    void shouldRejectAZeroIntervalAndACapBelowIt() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0)).hasMessageContaining("interval");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
                .hasMessageContaining("maximum backoff");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0).baseDelay(0))
                .hasMessageContaining("start at 1");
    }
}
