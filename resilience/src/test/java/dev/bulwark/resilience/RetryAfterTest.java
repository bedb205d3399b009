package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final int DRAWS = 10_000;

    @Test
    void shouldTellAFleetsClientsOneOrTwoSecondsEvenlyForAOneSecondWait() {
        // Given three instances of a fleet, each with its own random source, refusing during the same outage
        Map<Long, Long> told = new TreeMap<>(IntStream.range(0, 3)
                .mapToObj(instance -> new RetryAfter(RetryAfter.DEFAULT_SPREAD, new Random(instance)::nextDouble))
                .flatMap(instance -> IntStream.range(0, DRAWS).mapToObj(i -> instance.after(Duration.ofMillis(400))))
                .collect(Collectors.groupingBy(Duration::toSeconds, Collectors.counting())));

        // Then the clients are told 1 or 2 s, about half each: their retries spread over a second, not one herd
        assertThat(told.keySet()).containsExactly(1L, 2L);
        assertThat(told.values()).allSatisfy(count -> assertThat(count).isBetween(3L * DRAWS * 45 / 100,
                3L * DRAWS * 55 / 100));
    }

    @Test
    void shouldSpreadALongerWaitOverHalfOfItMoreInWholeSeconds() {
        RetryAfter retryAfter = new RetryAfter(0.5, new Random(7)::nextDouble);

        Map<Long, Long> told = IntStream.range(0, DRAWS).mapToObj(i -> retryAfter.after(Duration.ofMillis(3200)))
                .collect(Collectors.groupingBy(Duration::toSeconds, TreeMap::new, Collectors.counting()));

        // 3.2 s is 4 whole seconds, spread by up to 2 more: 4, 5 and 6, a third each
        assertThat(told.keySet()).containsExactly(4L, 5L, 6L);
        assertThat(told.values()).allSatisfy(count -> assertThat(count).isBetween(DRAWS * 30L / 100, DRAWS * 37L / 100));
    }

    @Test
    void shouldReportTheWaitAloneWithoutSpread() {
        RetryAfter none = RetryAfter.spread(0);

        assertThat(none.after(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
        assertThat(none.after(Duration.ofMillis(1001))).isEqualTo(Duration.ofSeconds(2));
        assertThat(none.after(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void shouldNeverTellLessThanTheWaitNorMoreThanTheSpread() {
        assertThat(new RetryAfter(0.5, () -> 0.0).after(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
        assertThat(new RetryAfter(0.5, () -> 0.999_999).after(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void shouldRefuseASpreadOutsideZeroToOne() {
        assertThatThrownBy(() -> RetryAfter.spread(1.5)).hasMessage("Retry-After spread must be between 0 and 1, got 1.5");
        assertThatThrownBy(() -> RetryAfter.spread(Double.NaN)).hasMessageContaining("got NaN");
    }

    @Test
    void shouldSpreadTheRetryAfterOfEveryRefusalOfAResilientDependency() {
        // Given a dependency whose breaker an outage opened, with the default spread
        Resilient db = Resilient.builder("database").withRetryAfter(new RetryAfter(0.5, new Random(1)::nextDouble))
                .build();
        db.openBreaker();

        // When it refuses calls (60 s until the forced-open breaker's reset), Then their Retry-After is spread
        Map<Long, Long> told = new TreeMap<>();
        for (int i = 0; i < 200; i++) {
            try {
                db.call(() -> "never");
            } catch (DependencyUnavailableException e) {
                told.merge(e.retryAfter().toSeconds(), 1L, Long::sum);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        db.close();
        assertThat(told.keySet()).hasSizeGreaterThan(1).allSatisfy(seconds -> assertThat(seconds).isBetween(60L, 90L));
    }
}
