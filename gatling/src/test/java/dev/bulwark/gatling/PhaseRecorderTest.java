package dev.bulwark.gatling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.gatling.PhaseRecorder.Outcome;
import org.junit.jupiter.api.Test;

class PhaseRecorderTest {

    private final PhaseRecorder recorder = new PhaseRecorder();

    private void record(String phase, Outcome outcome) {
        recorder.started(phase);
        recorder.finished(phase, outcome);
    }

    @Test
    void shouldGiveTheNearestRankPercentileAndTheFailuresOfAPhase() {
        for (int millis = 1; millis <= 200; millis++) {
            record("steady", new Outcome(Endpoints.GET_ITEM, 200, millis != 7, millis));
        }
        record("outage", new Outcome(Endpoints.GET_ITEM, 503, true, 5_000));

        PhaseRecorder.Summary steady = recorder.summary("steady");

        assertThat(steady.count()).isEqualTo(200);
        assertThat(steady.failed()).isEqualTo(1);
        assertThat(steady.ok()).isEqualTo(199);
        assertThat(steady.p99()).isEqualTo(198);
        assertThat(steady.max()).isEqualTo(200);
        assertThat(steady.failedPercent()).isEqualTo(0.5);
    }

    @Test
    void shouldCountAnUnansweredRequestAsSlowerThanAnyBoundButNotAsFailed() {
        for (int i = 0; i < 99; i++) {
            record("level 3", new Outcome(Endpoints.GET_ITEM, 200, true, 10));
        }
        recorder.started("level 3");

        PhaseRecorder.Summary level = recorder.summary("level 3");

        assertThat(level.count()).isEqualTo(100);
        assertThat(level.failed()).isZero();
        assertThat(level.p99()).isEqualTo(10);
        assertThat(level.max()).isEqualTo(Long.MAX_VALUE);

        recorder.started("level 3");
        assertThat(recorder.summary("level 3").p99()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldSummariseOnlyTheOutcomesAFilterKeeps() {
        record("spike", new Outcome(Endpoints.PUT_ITEM, 201, true, 450));
        record("spike", new Outcome(Endpoints.PUT_ITEM, 503, true, 3));
        record("spike", new Outcome(Endpoints.GET_ITEM, 503, true, 9));
        record("spike", new Outcome(Endpoints.GET_ITEM, 200, true, 1));
        recorder.started("spike");

        PhaseRecorder.Summary writes = recorder.summary("spike", o -> o.request().equals(Endpoints.PUT_ITEM) && o.served());
        PhaseRecorder.Summary refusals = recorder.summary("spike", Outcome::refused);

        assertThat(writes.ok()).isEqualTo(1);
        assertThat(refusals.count()).isEqualTo(2);
        assertThat(refusals.p99()).isEqualTo(9);
    }

    @Test
    void shouldListThePhasesInTheOrderOfTheirFirstRequest() {
        recorder.started("steady");
        recorder.started("spike");
        recorder.started("steady");
        recorder.started("recovery");

        assertThat(recorder.phases()).containsExactly("steady", "spike", "recovery");
    }

    @Test
    void shouldSummariseAPhaseWithoutRequestsAsEmpty() {
        assertThat(recorder.summary("recovery")).isEqualTo(new PhaseRecorder.Summary(0, 0, 0, 0, 0));
    }

    @Test
    void shouldCountTheFailuresOfAPhaseByAnswerAndBySecond() {
        String overloaded = "{\"code\": 503, \"message\": \"database overloaded, retry after 1 s\"}";
        record("steady", new Outcome(Endpoints.GET_ITEM, 503, false, 2, Outcome.answer(503, overloaded), 12_100));
        record("steady", new Outcome(Endpoints.PUT_ITEM, 503, false, 3, Outcome.answer(503, overloaded), 12_900));
        record("steady", new Outcome(Endpoints.PUT_ITEM, 503, false, 3, Outcome.answer(503, overloaded), 14_000));
        record("steady", new Outcome(Endpoints.GET_ITEM, 0, false, 10_000, Outcome.answer(0, ""), 3_000));
        record("steady", new Outcome(Endpoints.GET_ITEM, 200, true, 1, Outcome.answer(200, "{}"), 5_000));

        assertThat(recorder.failures("steady"))
                .isEqualTo("503 database overloaded ×3 (s12 ×2, s14 ×1); no answer ×1 (s3 ×1)");
        assertThat(recorder.failures("recovery")).isEmpty();
    }

    @Test
    void shouldTellAnAnswerByItsStatusAndTheErrorMessageUpToItsFirstComma() {
        assertThat(Outcome.answer(503, "{\"code\":503,\"message\":\"database unavailable, retry after 4 s\"}"))
                .isEqualTo("503 database unavailable");
        assertThat(Outcome.answer(500, "<html>Server Error</html>")).isEqualTo("500");
        assertThat(Outcome.answer(0, null)).isEqualTo("no answer");
    }
}
