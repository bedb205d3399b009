package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void shouldStartWithOneSecondOfRetries() {
        RetryBudget budget = new RetryBudget(0.2, 10, now::get);

        assertThat(budget.remaining()).isEqualTo(10);
        assertThat(IntStream.range(0, 10).allMatch(i -> budget.tryAcquireRetry())).isTrue();
        assertThat(budget.tryAcquireRetry()).isFalse();
    }

    @Test
    void shouldRefillAtThePerSecondRate() {
        RetryBudget budget = new RetryBudget(0.2, 10, now::get);
        drain(budget);

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(300));

        assertThat(budget.remaining()).isEqualTo(3);
    }

    @Test
    void shouldAllowOneRetryPerFiveCallsOnTopOfTheTimeAllowance() {
        RetryBudget budget = new RetryBudget(0.2, 0, now::get);
        drain(budget);

        IntStream.range(0, 50).forEach(i -> budget.recordCall());

        // Capacity is one token when there is no time allowance, so retries must keep pace with calls.
        assertThat(budget.remaining()).isEqualTo(1);
        int retries = 0;
        for (int call = 0; call < 1000; call++) {
            budget.recordCall();
            if (budget.tryAcquireRetry()) {
                retries++;
            }
        }
        assertThat(retries).isBetween(199, 201);
    }

    @Test
    void shouldCapRetriesDuringASustainedOutage() {
        // 100 calls a second for 10 seconds, each failing and asking for a retry.
        RetryBudget budget = new RetryBudget(0.2, 10, now::get);
        int retries = 0;
        for (int call = 0; call < 1000; call++) {
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
            budget.recordCall();
            if (budget.tryAcquireRetry()) {
                retries++;
            }
        }

        // At most 20% of 1000 calls + 10/s × 10 s + the initial 10 tokens.
        assertThat(retries).isLessThanOrEqualTo(200 + 100 + 10).isGreaterThanOrEqualTo(290);
    }

    @Test
    void shouldRejectNonsenseSettings() {
        assertThatThrownBy(() -> new RetryBudget(1.5, 10, now::get)).hasMessageContaining("ratio");
        assertThatThrownBy(() -> new RetryBudget(0.2, -1, now::get)).hasMessageContaining("per second");
    }

    private static void drain(RetryBudget budget) {
        while (budget.tryAcquireRetry()) {
            // take every token
        }
        assertThat(budget.remaining()).isZero();
    }
}
