package dev.bulwark.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.chaos.Ledger.Attempt;
import dev.bulwark.chaos.Ledger.Outcome;
import dev.bulwark.chaos.LedgerCheck.Row;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerCheckTest {

    private static final String ID = "item-1";
    private static final String UNAVAILABLE = "database unavailable, retry after 1 s";
    private static final String UNKNOWN = "database connection lost mid-write: outcome unknown, retry after 1 s";

    private final Ledger ledger = new Ledger();
    private final Map<String, Row> rows = new HashMap<>();

    @Test
    void shouldPassWhenTheLatestAcknowledgedPutIsTheRow() {
        put("a", 201, 1, 0, 10);
        put("b", 200, 2, 20, 30);
        stored(2, "b");

        assertThat(check().clean()).as(check().toString()).isTrue();
    }

    @Test
    void shouldReportAnAcknowledgedPutLostWhenThereIsNoRowAndNoDelete() {
        put("a", 201, 1, 0, 10);

        assertThat(check().lost()).singleElement().asString().contains("no row and no DELETE");
    }

    @Test
    void shouldReportAPutAnswered503WhoseValueIsTheRow() {
        put("a", 201, 1, 0, 10);
        put("b", 503, UNAVAILABLE, 20, 30);
        stored(2, "b");

        LedgerCheck check = check();
        assertThat(check.writtenDespiteRefusal()).singleElement().asString().contains("PUT 'b' → 503");
        assertThat(check.lost()).isEmpty();
    }

    @Test
    void shouldAcceptEitherOutcomeOfAPutAnsweredOutcomeUnknownAndCountIt() {
        put("a", 201, 1, 0, 10);
        put("b", 503, UNKNOWN, 20, 30);
        stored(2, "b");
        LedgerCheck applied = check();
        stored(1, "a");
        LedgerCheck notApplied = check();

        assertThat(applied.clean()).as(applied.toString()).isTrue();
        assertThat(notApplied.clean()).as(notApplied.toString()).isTrue();
        assertThat(applied.indeterminate()).isEqualTo(1);
    }

    @Test
    void shouldAcceptAnUnansweredPutAppliedEvenAfterALaterAcknowledgedOne() {
        put("a", Sample.NO_RESPONSE, "", 0, 10);
        put("b", 201, 1, 20, 30);
        // PostgreSQL may commit a statement after the client gave up on it.
        stored(2, "a");

        LedgerCheck check = check();
        assertThat(check.clean()).as(check.toString()).isTrue();
        assertThat(check.unanswered()).isEqualTo(1);
    }

    @Test
    void shouldReportAnAcknowledgedPutLostWhenTheRowIsAnEarlierOne() {
        put("a", 201, 1, 0, 10);
        put("b", 200, 2, 20, 30);
        stored(1, "a");

        assertThat(check().lost()).singleElement().asString().contains("still holds PUT 'a'").contains("PUT 'b'");
    }

    @Test
    void shouldAcceptEitherOrderOfTwoAcknowledgedPutsThatOverlapped() {
        put("a", 201, 1, 0, 30);
        put("b", 200, 2, 10, 20);
        stored(1, "a");

        assertThat(check().clean()).as(check().toString()).isTrue();
    }

    @Test
    void shouldReportAnAcknowledgedPutWhoseVersionIsNotTheRows() {
        put("a", 201, 1, 0, 10);
        stored(3, "a");

        assertThat(check().lost()).singleElement().asString().contains("holds v3");
    }

    @Test
    void shouldReportARowThatNoWriteOfTheLoadSent() {
        put("a", 201, 1, 0, 10);
        stored(1, "z");

        assertThat(check().lost()).singleElement().asString().contains("no write of the load sent");
    }

    @Test
    void shouldPassWhenAnAcknowledgedDeleteCameLast() {
        put("a", 201, 1, 0, 10);
        delete(204, "", 20, 30);

        assertThat(check().clean()).as(check().toString()).isTrue();
    }

    @Test
    void shouldReportADeleteAnswered503WhenTheRowIsGone() {
        put("a", 201, 1, 0, 10);
        delete(503, UNAVAILABLE, 20, 30);

        assertThat(check().writtenDespiteRefusal()).singleElement().asString().contains("DELETE → 503");
    }

    @Test
    void shouldReportADeleteAnswered404WhenTheRowIsGone() {
        put("a", 201, 1, 0, 10);
        delete(404, "item 'item-1' not found", 20, 30);

        assertThat(check().writtenDespiteRefusal()).hasSize(1);
    }

    @Test
    void shouldPassWhenARefusedDeleteLeftTheRow() {
        put("a", 201, 1, 0, 10);
        delete(503, UNAVAILABLE, 20, 30);
        stored(1, "a");

        assertThat(check().clean()).as(check().toString()).isTrue();
    }

    @Test
    void shouldAcceptADeleteOfUnknownOutcomeEitherWay() {
        put("a", 201, 1, 0, 10);
        delete(503, UNKNOWN, 20, 30);
        LedgerCheck removed = check();
        stored(1, "a");
        LedgerCheck left = check();

        assertThat(removed.clean()).as(removed.toString()).isTrue();
        assertThat(left.clean()).as(left.toString()).isTrue();
    }

    @Test
    void shouldReportAPutAcknowledgedAfterTheLastDeleteWhenThereIsNoRow() {
        put("a", 201, 1, 0, 10);
        delete(204, "", 20, 30);
        put("b", 201, 1, 40, 50);

        assertThat(check().lost()).hasSize(1);
    }

    @Test
    void shouldReportAnAcknowledgedDeleteLostWhenTheRowSurvivedIt() {
        put("a", 201, 1, 0, 10);
        delete(204, "", 20, 30);
        stored(1, "a");

        assertThat(check().lost()).singleElement().asString().contains("DELETE → 204");
    }

    @Test
    void shouldPassWhenNothingWasAcknowledgedAndThereIsNoRow() {
        put("a", 503, UNAVAILABLE, 0, 10);

        assertThat(check().clean()).as(check().toString()).isTrue();
    }

    @Test
    void shouldClassifyAnswersByWhatTheySayAboutTheWrite() {
        assertThat(attempt("PUT", "a", 201, "").outcome()).isEqualTo(Outcome.ACKNOWLEDGED);
        assertThat(attempt("DELETE", "", 204, "").outcome()).isEqualTo(Outcome.ACKNOWLEDGED);
        assertThat(attempt("PUT", "a", 503, UNAVAILABLE).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(attempt("PUT", "a", 503, "database busy: the item is locked by another transaction, retry after 1 s")
                .outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(attempt("DELETE", "", 404, "item 'x' not found").outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(attempt("PUT", "a", 503, UNKNOWN).outcome()).isEqualTo(Outcome.INDETERMINATE);
        assertThat(attempt("PUT", "a", 500, UNKNOWN).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(attempt("PUT", "a", Sample.NO_RESPONSE, "").outcome()).isEqualTo(Outcome.UNANSWERED);
    }

    @Test
    void shouldRefuseASecondPutOfTheSameNameToOneId() {
        put("a", 201, 1, 0, 10);

        assertThatThrownBy(() -> put("a", 200, 2, 20, 30)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be unique");
    }

    private LedgerCheck check() {
        return LedgerCheck.compare(ledger, rows);
    }

    private void stored(long version, String name) {
        rows.put(ID, new Row(version, name));
    }

    private void put(String name, int status, long version, long start, long end) {
        ledger.record(new Attempt(ID, "PUT", name, status, "", version, start, end));
    }

    private void put(String name, int status, String message, long start, long end) {
        ledger.record(new Attempt(ID, "PUT", name, status, message, 0, start, end));
    }

    private void delete(int status, String message, long start, long end) {
        ledger.record(new Attempt(ID, "DELETE", "", status, message, 0, start, end));
    }

    private static Attempt attempt(String method, String name, int status, String message) {
        return new Attempt(ID, method, name, status, message, 0, 0, 1);
    }
}
