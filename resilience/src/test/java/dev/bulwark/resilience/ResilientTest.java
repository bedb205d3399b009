package dev.bulwark.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ResilientTest {


    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicLong clock = new AtomicLong();

    @Test
    void shouldHideTransientFailuresByRetrying() throws Exception {
        Resilient db = builder().withMaxRetries(3).build();

        String result = db.call(() -> failTimes(2, "ok"));

        assertThat(result).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
        assertThat(db.stats().retries()).isEqualTo(2);
    }

    @Test
    void shouldPassNonTransientFailuresThroughUnchangedWithoutRetrying() {
        Resilient db = builder().withMaxRetries(3).withCircuitBreaker(2, Duration.ofSeconds(60)).build();
        SQLException unique = new SQLException("duplicate key", "23505");

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> db.call(() -> {
                attempts.incrementAndGet();
                throw unique;
            })).isSameAs(unique);
        }

        assertThat(attempts).hasValue(5);
        assertThat(db.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void shouldGiveUpAfterMaxRetriesNamingTheDependency() {
        Resilient db = builder().withMaxRetries(2).build();

        assertThatThrownBy(() -> db.call(this::alwaysRefused))
                .isInstanceOf(DependencyUnavailableException.class)
                .hasMessageStartingWith("database unavailable: retries exhausted")
                .hasRootCauseInstanceOf(ConnectException.class);
        assertThat(attempts).hasValue(3);
        assertThat(db.stats().retriesExhausted()).isEqualTo(1);
    }

    @Test
    void shouldStopRetryingAtTheDeadline() {
        Resilient db = builder().withMaxRetries(1000)
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(20)).withJitter(0)
                .withDeadline(Duration.ofMillis(100))
                .build();
        long start = System.nanoTime();

        assertThatThrownBy(() -> db.call(this::alwaysRefused)).isInstanceOf(DependencyUnavailableException.class);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        // The deadline, not the thousand allowed retries, ended the call (Failsafe trims the last delays to fit).
        assertThat(attempts.get()).isBetween(2, 100);
        assertThat(elapsed).isBetween(Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    @Test
    void shouldFailAtOnceWhenTheRetryBudgetIsSpent() {
        // One token and no refill: the first call may retry once, later calls not at all.
        Resilient db = builder().withMaxRetries(5).withRetryBudget(new RetryBudget(0, 0, clock::get)).build();

        assertThatThrownBy(() -> db.call(this::alwaysRefused))
                .isInstanceOf(DependencyUnavailableException.class).hasMessageContaining("retry budget spent");
        assertThat(attempts).hasValue(2);
        attempts.set(0);
        assertThatThrownBy(() -> db.call(this::alwaysRefused))
                .isInstanceOf(DependencyUnavailableException.class).hasMessageContaining("retry budget spent");
        assertThat(attempts).hasValue(1);
        assertThat(db.stats().budgetRejections()).isEqualTo(2);
    }

    @Test
    void shouldNotSpendBudgetOnTheLastAttempt() {
        Resilient db = builder().withMaxRetries(2).withRetryBudget(new RetryBudget(0, 10, clock::get)).build();

        assertThatThrownBy(() -> db.call(this::alwaysRefused)).isInstanceOf(DependencyUnavailableException.class);

        assertThat(attempts).hasValue(3);
        assertThat(db.budgetRemaining()).isEqualTo(8);
    }

    @Test
    void shouldOpenAfterConsecutiveFailedCallsAndThenFailFastWithoutCalling() {
        Resilient db = builder().withMaxRetries(1).withCircuitBreaker(3, Duration.ofSeconds(60)).build();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> db.call(this::alwaysRefused)).isInstanceOf(DependencyUnavailableException.class);
        }
        assertThat(db.state()).isEqualTo(CircuitState.OPEN);
        assertThat(db.consecutiveFailures()).isEqualTo(3);
        attempts.set(0);

        assertThatThrownBy(() -> db.call(this::alwaysRefused))
                .isInstanceOf(DependencyUnavailableException.class)
                .hasMessage("database unavailable: circuit breaker open")
                .satisfies(e -> assertThat(((DependencyUnavailableException) e).retryAfter())
                        .isBetween(Duration.ofSeconds(58), Duration.ofSeconds(60)));

        assertThat(attempts).hasValue(0);
        assertThat(db.stats().rejected()).isEqualTo(1);
        assertThat(db.stats().transitionsTo("OPEN")).isEqualTo(1);
    }

    @Test
    void shouldLetAProbeThroughAfterTheResetDelayAndCloseOnSuccess() {
        Resilient db = builder().withMaxRetries(0).withCircuitBreaker(1, Duration.ofMillis(100)).build();
        assertThatThrownBy(() -> db.call(this::alwaysRefused)).isInstanceOf(DependencyUnavailableException.class);
        assertThat(db.state()).isEqualTo(CircuitState.OPEN);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(db.call(() -> "probe")).isEqualTo("probe"));

        assertThat(db.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(db.stats().transitionsTo("HALF_OPEN")).isEqualTo(1);
        assertThat(db.stats().transitionsTo("CLOSED")).isEqualTo(1);
    }

    @Test
    void shouldReopenWhenTheProbeFails() {
        Resilient db = builder().withMaxRetries(0).withCircuitBreaker(1, Duration.ofMillis(100)).build();
        assertThatThrownBy(() -> db.call(this::alwaysRefused)).isInstanceOf(DependencyUnavailableException.class);

        await().atMost(Duration.ofSeconds(5)).until(() -> probeWentThroughAndFailed(db));

        assertThat(db.state()).isEqualTo(CircuitState.OPEN);
        assertThat(db.stats().transitionsTo("OPEN")).isEqualTo(2);
    }

    @Test
    void shouldLetOneProbeThroughAndReopenWhenItFailsWhateverTheFailureThreshold() {
        // A threshold above 1 must not let that many probes through while HALF_OPEN: each would hold a
        // caller for a whole retry deadline while the dependency is still down.
        Resilient db = builder().withMaxRetries(0).withCircuitBreaker(3, Duration.ofMillis(100)).build();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> db.call(this::alwaysRefused)).isInstanceOf(DependencyUnavailableException.class);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> probeWentThroughAndFailed(db));

        assertThat(db.state()).isEqualTo(CircuitState.OPEN);
        attempts.set(0);
        assertThatThrownBy(() -> db.call(this::alwaysRefused)).hasMessage("database unavailable: circuit breaker open");
        assertThat(attempts).hasValue(0);
    }

    @Test
    void shouldNeverOpenWhenTheBreakerIsDisabled() {
        Resilient db = builder().withMaxRetries(0).withoutCircuitBreaker().build();

        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> db.call(this::alwaysRefused)).isInstanceOf(DependencyUnavailableException.class);
        }

        assertThat(attempts).hasValue(20);
        assertThat(db.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void shouldRerunAWholeIdempotentUnitAfterASerializationFailureButNotASingleCall() throws Exception {
        Resilient db = builder().withMaxRetries(3).build();
        SQLException conflict = new SQLException("could not serialize access", "40001");

        String result = db.callIdempotent(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw conflict;
            }
            return "committed";
        });

        assertThat(result).isEqualTo("committed");
        attempts.set(0);
        assertThatThrownBy(() -> db.call(() -> {
            attempts.incrementAndGet();
            throw conflict;
        })).isSameAs(conflict);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void shouldRetryAUnitAtOnceAfterItsConnectionDiedMidWay() throws Exception {
        // A 10 s backoff would make this test time out if the first retry waited for it.
        Resilient db = builder().withMaxRetries(3)
                .withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10)).withJitter(0)
                .withDeadline(Duration.ofSeconds(30)).build();
        long start = System.nanoTime();

        String result = db.callIdempotent(() -> failTimes(1, "fresh connection"));

        assertThat(result).isEqualTo("fresh connection");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void shouldNotRetryAUnitWhoseConnectionCouldNotBeAcquired() {
        Resilient db = builder().withMaxRetries(2).build();

        assertThatThrownBy(() -> db.callIdempotent(() -> db.call(this::alwaysRefused)))
                .isInstanceOf(DependencyUnavailableException.class);

        // Three acquisition attempts, not three for each of three unit attempts.
        assertThat(attempts).hasValue(3);
    }

    @Test
    void shouldCountEachFailedAcquisitionOnceTowardsTheBreaker() {
        Resilient db = builder().withMaxRetries(0).withCircuitBreaker(2, Duration.ofSeconds(60)).build();

        assertThatThrownBy(() -> db.callIdempotent(() -> db.call(this::alwaysRefused)))
                .isInstanceOf(DependencyUnavailableException.class);
        assertThat(db.state()).isEqualTo(CircuitState.CLOSED);
        assertThatThrownBy(() -> db.callIdempotent(() -> db.call(this::alwaysRefused)))
                .isInstanceOf(DependencyUnavailableException.class);

        assertThat(db.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void shouldLetOperatorsForceTheBreakerOpenAndClosed() {
        Resilient db = builder().build();

        db.openBreaker();
        assertThatThrownBy(() -> db.call(() -> "x")).hasMessageContaining("circuit breaker open");
        db.closeBreaker();

        assertThat(db.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void shouldRememberTheLastFailureWithoutItsCredentials() {
        Resilient db = builder().withMaxRetries(1).build();
        Instant before = Instant.now();

        assertThatThrownBy(() -> db.call(() -> {
            throw new ConnectException("Connection to " + TestDependencies.URL_WITH_CREDENTIALS + " refused");
        })).isInstanceOf(DependencyUnavailableException.class)
                .hasMessage("database unavailable: retries exhausted: Connection to "
                        + "postgresql://db:5432/x?password=*** refused");

        LastFailure last = db.stats().lastFailure().orElseThrow();
        assertThat(last.message()).isEqualTo("Connection to postgresql://db:5432/x?password=*** refused");
        assertThat(last.time()).isBetween(before, Instant.now());
    }

    @Test
    void shouldKeepTheFailureThatOpenedTheBreakerWhileItRejectsCalls() {
        Resilient db = builder().withMaxRetries(0).withCircuitBreaker(1, Duration.ofSeconds(60)).build();
        assertThatThrownBy(() -> db.call(this::alwaysRefused)).isInstanceOf(DependencyUnavailableException.class);

        assertThatThrownBy(() -> db.call(() -> "rejected")).hasMessageContaining("circuit breaker open");

        assertThat(db.stats().lastFailure()).map(LastFailure::message).contains("Connection refused");
    }

    @Test
    void shouldNotRecordFailuresTheCallItselfCaused() {
        Resilient db = builder().build();

        assertThatThrownBy(() -> db.call(() -> {
            throw new SQLException("duplicate key", "23505");
        })).isInstanceOf(SQLException.class);

        assertThat(db.stats().lastFailure()).isEmpty();
    }

    @Test
    void shouldForgetCountedFailuresOnResetWithoutAnyTransition() {
        Resilient db = builder().withMaxRetries(0).withCircuitBreaker(5, Duration.ofSeconds(60)).build();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> db.call(this::alwaysRefused)).isInstanceOf(DependencyUnavailableException.class);
        }
        assertThat(db.consecutiveFailures()).isEqualTo(3);

        db.resetBreaker();

        assertThat(db.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(db.consecutiveFailures()).isZero();
        assertThat(db.stats().transitionsTo("OPEN") + db.stats().transitionsTo("CLOSED")).isZero();
    }

    @Test
    void shouldCloseAnOpenBreakerOnReset() throws Exception {
        Resilient db = builder().build();
        db.openBreaker();

        db.resetBreaker();

        assertThat(db.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(db.call(() -> "served")).isEqualTo("served");
    }

    @Test
    void shouldRejectNonsenseSettings() {
        assertThatThrownBy(() -> builder().withMaxRetries(-1)).hasMessageContaining("max retries");
        assertThatThrownBy(() -> builder().withDeadline(Duration.ZERO)).hasMessageContaining("deadline");
        assertThatThrownBy(() -> builder().withCircuitBreaker(0, Duration.ofSeconds(1)))
                .hasMessageContaining("failure threshold");
        assertThatThrownBy(() -> builder().withCircuitBreaker(1, Duration.ZERO)).hasMessageContaining("reset delay");
    }

    @Test
    void shouldCloseTheBreakerAsSoonAsTheProberSeesTheDependencyAgainWithoutLettingAnyCallThrough() {
        // Given a breaker that opened, with a probe that fails until the dependency comes back
        AtomicInteger probes = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger evictions = new AtomicInteger();
        Resilient db = builder().withMaxRetries(0).withCircuitBreaker(1, Duration.ofSeconds(60))
                .withProbe(() -> {
                    probes.incrementAndGet();
                    if (!up.get()) {
                        throw new ConnectException("Connection refused");
                    }
                }, Duration.ofMillis(10))
                .onStaleConnections(evictions::incrementAndGet).build();
        assertThatThrownBy(() -> db.call(this::alwaysRefused)).isInstanceOf(DependencyUnavailableException.class);
        attempts.set(0);

        // While probes fail, calls are refused at once, and none of them is let through as a probe
        await().atMost(Duration.ofSeconds(5)).until(() -> probes.get() >= 3);
        assertThatThrownBy(() -> db.call(this::alwaysRefused)).hasMessage("database unavailable: circuit breaker open");
        assertThat(attempts).hasValue(0);
        assertThat(db.state()).isEqualTo(CircuitState.OPEN);
        assertThat(db.retryAfter()).isEqualTo(Duration.ofSeconds(1));

        // When the dependency answers again, Then the prober closes the breaker long before the 60 s reset time
        up.set(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> db.state() == CircuitState.CLOSED);
        assertThat(db.stats().transitionsTo("HALF_OPEN")).isZero();
        assertThat(db.probesSucceeded()).isEqualTo(1);
        assertThat(db.probesFailed()).isGreaterThanOrEqualTo(3);
        assertThat(evictions).as("the pool is purged of connections made before the outage").hasValue(1);
        db.close();
    }

    @Test
    void shouldLeaveABreakerForcedOpenByAnOperatorAlone() {
        AtomicInteger probes = new AtomicInteger();
        Resilient db = builder().withProbe(probes::incrementAndGet, Duration.ofMillis(10)).build();

        db.openBreaker();

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> db.state() == CircuitState.OPEN && probes.get() == 0);
        db.close();
    }

    @Test
    void shouldRefuseUnitsOverTheConcurrencyLimitAtOnceWhileCacheFreeCallsGoOn() throws Exception {
        // Given a limit of one, held by a unit that is still running
        Resilient db = builder().withConcurrencyLimit(new ConcurrencyLimit(1, 1, 1)).build();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> holders = holdPermits(db, 1, release);

        // When another unit comes, Then it is refused at once as overloaded, without running
        assertThatThrownBy(() -> db.callIdempotent(() -> attempts.incrementAndGet()))
                .isInstanceOfSatisfying(DependencyUnavailableException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DependencyUnavailableException.Reason.OVERLOADED);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
                });
        assertThatThrownBy(() -> db.callOnce(() -> attempts.incrementAndGet()))
                .isInstanceOf(DependencyUnavailableException.class);
        assertThat(attempts).hasValue(0);
        assertThat(db.concurrencyLimit().orElseThrow().rejected()).isEqualTo(2);
        assertThat(db.state()).isEqualTo(CircuitState.CLOSED);
        release.countDown();
        joinAll(holders);
        assertThat(db.callIdempotent(() -> "served")).isEqualTo("served");
    }

    @Test
    void shouldAdmitAUnitOverTheLimitWhileThePoolHasAConnectionFreeAndNobodyWaits() throws Exception {
        // Given a pool of two whose limit is taken by units still running, with a connection free
        AtomicReference<PoolSnapshot> pool = new AtomicReference<>(new PoolSnapshot(1, 1, 0, 2));
        ConcurrencyLimit limit = ConcurrencyLimit.forPool(pool::get, 2, Duration.ZERO);
        Resilient db = builder().withConcurrencyLimit(limit).build();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> holders = holdPermits(db, limit.limit(), release);

        // When another unit comes while a connection is free and nobody waits, Then it runs
        assertThat(db.callIdempotent(() -> attempts.incrementAndGet())).isEqualTo(1);
        assertThat(limit.admittedSpare()).isEqualTo(1);
        // And when every connection is busy, or someone waits for one, Then it is refused as overloaded
        pool.set(new PoolSnapshot(2, 0, 0, 2));
        assertThatThrownBy(() -> db.callIdempotent(() -> attempts.incrementAndGet()))
                .isInstanceOfSatisfying(DependencyUnavailableException.class, e ->
                        assertThat(e.reason()).isEqualTo(DependencyUnavailableException.Reason.OVERLOADED));
        pool.set(new PoolSnapshot(1, 1, 1, 2));
        assertThatThrownBy(() -> db.callOnce(() -> attempts.incrementAndGet()))
                .isInstanceOf(DependencyUnavailableException.class);
        assertThat(attempts).hasValue(1);
        assertThat(limit.rejected()).isEqualTo(2);
        release.countDown();
        joinAll(holders);
    }

    @Test
    void shouldAdmitAUnitOverTheLimitThatGetsAPermitWithinItsWait() throws Exception {
        // Given a pool of two whose limit is taken by units still running, every connection busy, and a wait of 10 s
        AtomicReference<PoolSnapshot> busy = new AtomicReference<>(new PoolSnapshot(2, 0, 0, 2));
        ConcurrencyLimit limit = ConcurrencyLimit.forPool(busy::get, 2, Duration.ofSeconds(10));
        Resilient db = builder().withConcurrencyLimit(limit).build();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> holders = holdPermits(db, limit.limit(), release);

        // When another unit comes, and one of the running units finishes while it waits
        Thread waiter = new Thread(() -> {
            try {
                db.callIdempotent(() -> attempts.incrementAndGet());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
        assertThat(attempts).as("it waits while every permit is held").hasValue(0);
        release.countDown();

        // Then it runs as soon as a permit is free (well before its wait ends), and is not refused
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(attempts).hasValue(1));
        waiter.join();
        joinAll(holders);
        assertThat(limit.rejected()).isZero();
    }

    @Test
    void shouldRefuseAUnitOverTheLimitOnceItsWaitForAPermitHasPassed() throws Exception {
        // Given a limit of two, held by units that are still running, every connection busy, and a wait of 200 ms
        ConcurrencyLimit limit = ConcurrencyLimit.forPool(() -> new PoolSnapshot(1, 0, 0, 1), 1, Duration.ofMillis(200));
        Resilient db = builder().withConcurrencyLimit(limit).build();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> holders = holdPermits(db, limit.limit(), release);

        // When another unit comes and no permit frees up
        long start = System.nanoTime();
        assertThatThrownBy(() -> db.callOnce(() -> attempts.incrementAndGet()))
                .isInstanceOfSatisfying(DependencyUnavailableException.class, e ->
                        assertThat(e.reason()).isEqualTo(DependencyUnavailableException.Reason.OVERLOADED));

        // Then it is refused as overloaded, not before its wait had passed, without running
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(attempts).hasValue(0);
        assertThat(limit.rejected()).isEqualTo(1);
        release.countDown();
        joinAll(holders);
    }

    /** Starts {@code count} units that each hold a permit of {@code db} until {@code release}; returns once all run. */
    private static List<Thread> holdPermits(Resilient db, int count, CountDownLatch release) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(count);
        List<Thread> holders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Thread holder = new Thread(() -> {
                try {
                    db.callIdempotent(() -> {
                        running.countDown();
                        return release.await(5, TimeUnit.SECONDS);
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            holder.start();
            holders.add(holder);
        }
        running.await();
        return holders;
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
    }

    @Test
    void shouldNeitherRetryNorCountAPoolTimeoutAgainstTheDependency() {
        Resilient db = builder().withMaxRetries(3).withCircuitBreaker(1, Duration.ofSeconds(60)).build();

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> db.call(() -> {
                attempts.incrementAndGet();
                throw new org.apache.tomcat.jdbc.pool.PoolExhaustedException("Timeout: Pool empty");
            })).isInstanceOfSatisfying(DependencyUnavailableException.class, e ->
                    assertThat(e.reason()).isEqualTo(DependencyUnavailableException.Reason.OVERLOADED));
        }

        assertThat(attempts).as("one attempt per call: no retry").hasValue(3);
        assertThat(db.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(db.consecutiveFailures()).isZero();
    }

    @Test
    void shouldDepositIntoTheBudgetOncePerUnitNotOncePerAcquisition() throws Exception {
        // Given a budget that holds one token and refills only from calls, half a token each, now spent
        RetryBudget budget = new RetryBudget(0.5, 0, clock::get);
        assertThat(budget.tryAcquireRetry()).isTrue();
        Resilient db = builder().withRetryBudget(budget).build();

        // When one unit runs, acquiring its connection through call()
        db.callIdempotent(() -> db.call(() -> "connection"));

        // Then it deposited half a token, not one whole token (once for the unit and once for its acquisition)
        assertThat(budget.remaining()).isZero();
        db.callIdempotent(() -> db.call(() -> "connection"));
        assertThat(budget.remaining()).isEqualTo(1);
    }

    @Test
    void shouldRetryAWriteRefusedAsReadOnlyOnFreshConnectionsThenSayReadOnlyWithoutOpening() throws Exception {
        SQLException readOnly = new SQLException("cannot execute INSERT in a read-only transaction", "25006");
        AtomicInteger evictions = new AtomicInteger();
        Resilient db = builder().withMaxRetries(3).withCircuitBreaker(1, Duration.ofSeconds(60))
                .onStaleConnections(evictions::incrementAndGet).build();

        // A failover that completes within the deadline is hidden
        assertThat(db.callIdempotentWrite(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw readOnly;
            }
            return "written on the new primary";
        })).isEqualTo("written on the new primary");
        assertThat(evictions).hasValue(1);

        // One that does not ends as read-only, and the breaker stays closed so that reads go on
        assertThatThrownBy(() -> db.callIdempotentWrite(() -> {
            throw readOnly;
        })).isInstanceOfSatisfying(DependencyUnavailableException.class, e -> {
            assertThat(e.reason()).isEqualTo(DependencyUnavailableException.Reason.READ_ONLY);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        });
        assertThat(db.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void shouldAnswerALockTimeoutAsBusyWithoutRetrying() {
        Resilient db = builder().withMaxRetries(3).build();

        assertThatThrownBy(() -> db.callIdempotentWrite(() -> {
            attempts.incrementAndGet();
            throw new SQLException("canceling statement due to lock timeout", "55P03");
        })).isInstanceOfSatisfying(DependencyUnavailableException.class, e ->
                assertThat(e.reason()).isEqualTo(DependencyUnavailableException.Reason.BUSY));
        assertThat(attempts).hasValue(1);
    }

    @Test
    void shouldSayTheOutcomeIsUnknownWhenAWriteLostItsConnectionAfterItWasSent() {
        Resilient db = builder().withMaxRetries(3).build();

        assertThatThrownBy(() -> db.callOnce(this::alwaysRefused))
                .isInstanceOfSatisfying(DependencyUnavailableException.class, e ->
                        assertThat(e.reason()).isEqualTo(DependencyUnavailableException.Reason.OUTCOME_UNKNOWN));
        assertThat(attempts).as("a write that must not run twice is not re-run").hasValue(1);
        assertThatThrownBy(() -> db.callIdempotent(this::alwaysRefused))
                .isInstanceOfSatisfying(DependencyUnavailableException.class, e ->
                        assertThat(e.reason()).isEqualTo(DependencyUnavailableException.Reason.RETRIES_EXHAUSTED));
    }

    @Test
    void shouldSayTheOutcomeIsUnknownWhenAWriteLostItsConnectionThenFoundTheDatabaseUnavailable() {
        // A chaos run found it: the first attempt's upsert may have committed before the connection died.
        Resilient db = builder().withMaxRetries(3).withCircuitBreaker(1, Duration.ofSeconds(60)).build();

        assertThatThrownBy(() -> db.callIdempotentWrite(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
            }
            return db.call(this::alwaysRefused);
        })).isInstanceOfSatisfying(DependencyUnavailableException.class, e ->
                assertThat(e.reason()).isEqualTo(DependencyUnavailableException.Reason.OUTCOME_UNKNOWN));
    }

    /** One call that reached the (refusing) dependency once, i.e. the breaker let it through as the probe. */
    private boolean probeWentThroughAndFailed(Resilient db) throws Exception {
        attempts.set(0);
        try {
            db.call(this::alwaysRefused);
        } catch (DependencyUnavailableException e) {
            return attempts.get() == 1;
        }
        return false;
    }

    private ResilientBuilder builder() {
        // No jitter and no Retry-After spread: the waits these tests assert are exact (RetryAfterTest has the spread).
        return Resilient.builder("database").withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).withJitter(0)
                .withRetryAfter(RetryAfter.spread(0)).withDeadline(Duration.ofSeconds(5))
                .withRetryBudget(new RetryBudget(0.2, 1000, clock::get));
    }

    private String failTimes(int failures, String result) throws ConnectException {
        if (attempts.incrementAndGet() <= failures) {
            throw new ConnectException("Connection refused");
        }
        return result;
    }

    private String alwaysRefused() throws ConnectException {
        attempts.incrementAndGet();
        throw new ConnectException("Connection refused");
    }
}
