package dev.bulwark.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.chaos.Ledger.Attempt;
import dev.bulwark.chaos.Ledger.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the ledger check found once a scenario has recovered, reading PostgreSQL directly (never through a
 * proxy). Four lists must be empty:
 * <ul>
 *   <li>{@code lost}: an acknowledged write PostgreSQL does not reflect;</li>
 *   <li>{@code writtenDespiteRefusal}: a write answered with a non-2xx status (other than "outcome unknown")
 *       that PostgreSQL reflects anyway;</li>
 *   <li>{@code duplicates}: an id with more than one row;</li>
 *   <li>{@code stale}: a GET through the service that does not return PostgreSQL's current row (or 404 for
 *       an id the load wrote that has none).</li>
 * </ul>
 *
 * <p>How one id is judged, from its {@link Ledger} attempts and its final row. Each write takes effect, if
 * at all, at one instant: an acknowledged one between sending and its answer, an indeterminate or unanswered
 * one at any time after sending (PostgreSQL may still commit it after the client gave up). Write X is surely
 * overwritten when an acknowledged write was sent after X's latest possible effect. Then:
 * <ul>
 *   <li>a row names the PUT that wrote it (names are unique). That PUT must not be refused, must not be surely
 *       overwritten by an acknowledged write, and, if acknowledged, must have returned the row's version;</li>
 *   <li>no row, when some PUT was acknowledged: a DELETE that may have been applied (acknowledged or of unknown
 *       outcome) must explain it, one not surely followed by an acknowledged PUT. If only refused DELETEs
 *       remain, one of them removed the row despite its answer; if none, an acknowledged PUT was lost.</li>
 * </ul>
 * This is sound with any number of clients writing one id concurrently: it never blames an order that could
 * have happened. It only sees the final row, so a refused write applied and then overwritten goes unnoticed.
 * Immutable.
 *
 * @param checked               ids written by the load
 * @param lost                  acknowledged writes PostgreSQL does not reflect: id and what is wrong
 * @param writtenDespiteRefusal writes answered non-2xx that PostgreSQL reflects: id and which write
 * @param duplicates            ids with more than one row
 * @param stale                 ids whose GET through the service differs from PostgreSQL: id and what it returned
 * @param indeterminate         writes answered 503 "outcome unknown" (allowed either way, and counted)
 * @param unanswered            writes that got no answer at all (allowed either way, and counted)
 */
public record LedgerCheck(int checked, List<String> lost, List<String> writtenDespiteRefusal,
                          List<String> duplicates, List<String> stale, long indeterminate, long unanswered) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public LedgerCheck {
        lost = List.copyOf(lost);
        writtenDespiteRefusal = List.copyOf(writtenDespiteRefusal);
        duplicates = List.copyOf(duplicates);
        stale = List.copyOf(stale);
    }

    /**
     * A row of {@code items}.
     *
     * @param version its version
     * @param name    its name
     */
    public record Row(long version, String name) {
    }

    /**
     * Checks {@code ledger} against PostgreSQL at {@code backends}, and every id the load wrote or PostgreSQL
     * holds against {@code GET /items/{id}} on the service's {@code port}.
     *
     * @param idPrefix the prefix of every id the load uses; other ids are not read
     */
    public static LedgerCheck of(Ledger ledger, String idPrefix, Backends backends, int port) {
        Map<String, Row> rows = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(backends.jdbcUrl(), backends.dbUser(), backends.dbPassword())) {
            String pattern = idPrefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%";
            try (PreparedStatement select = db.prepareStatement("SELECT id, name, version FROM items WHERE id LIKE ?")) {
                select.setString(1, pattern);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        rows.put(result.getString("id"), new Row(result.getLong("version"), result.getString("name")));
                    }
                }
            }
            try (PreparedStatement group = db.prepareStatement(
                    "SELECT id, count(*) FROM items WHERE id LIKE ? GROUP BY id HAVING count(*) > 1")) {
                group.setString(1, pattern);
                try (ResultSet result = group.executeQuery()) {
                    while (result.next()) {
                        duplicates.add(result.getString(1) + " (" + result.getLong(2) + " rows)");
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the items from PostgreSQL directly", e);
        }

        LedgerCheck writes = compare(ledger, rows);
        List<String> stale = new ArrayList<>();
        Set<String> ids = new TreeSet<>(ledger.byId().keySet());
        ids.addAll(rows.keySet());
        for (String id : ids) {
            Row row = rows.get(id);
            String served = serve(port, id);
            String expected = row == null ? "404" : "200 v" + row.version() + " '" + row.name() + "'";
            if (!served.startsWith(expected)) {
                stale.add(id + ": PostgreSQL has " + (row == null ? "no row" : "v" + row.version() + " '" + row.name() + "'")
                        + ", the service returned " + served);
            }
        }
        return new LedgerCheck(writes.checked(), writes.lost(), writes.writtenDespiteRefusal(), duplicates, stale,
                writes.indeterminate(), writes.unanswered());
    }

    /** Judges every id of {@code ledger} against its final row in {@code rows} (absent: no row); no reads. */
    public static LedgerCheck compare(Ledger ledger, Map<String, Row> rows) {
        List<String> lost = new ArrayList<>();
        List<String> written = new ArrayList<>();
        ledger.byId().forEach((id, attempts) -> judge(id, attempts, Optional.ofNullable(rows.get(id)), lost, written));
        return new LedgerCheck(ledger.size(), lost, written, List.of(), List.of(),
                ledger.count(Outcome.INDETERMINATE), ledger.count(Outcome.UNANSWERED));
    }

    private static void judge(String id, List<Attempt> attempts, Optional<Row> stored, List<String> lost,
                              List<String> written) {
        if (stored.isPresent()) {
            Row row = stored.get();
            Optional<Attempt> writer = attempts.stream().filter(a -> a.put() && a.name().equals(row.name())).findFirst();
            if (writer.isEmpty()) {
                lost.add(id + ": PostgreSQL holds v" + row.version() + " '" + row.name() + "', which no write of the load sent");
                return;
            }
            Attempt put = writer.get();
            if (put.outcome() == Outcome.REFUSED) {
                written.add(id + ": " + put + ", yet PostgreSQL holds it (v" + row.version() + ")");
                return;
            }
            List<Attempt> later = surelyAfter(put, attempts, false);
            if (!later.isEmpty()) {
                lost.add(id + ": PostgreSQL still holds " + put + " (v" + row.version() + "), though " + describe(later)
                        + " came after it");
            } else if (put.outcome() == Outcome.ACKNOWLEDGED && put.version() != row.version()) {
                lost.add(id + ": " + put + ", but PostgreSQL holds v" + row.version() + " of it");
            }
            return;
        }
        List<Attempt> acknowledgedPuts = attempts.stream()
                .filter(a -> a.put() && a.outcome() == Outcome.ACKNOWLEDGED).toList();
        if (acknowledgedPuts.isEmpty()) {
            return;
        }
        boolean explained = attempts.stream().anyMatch(a -> !a.put() && a.outcome().mayHaveWritten()
                && surelyAfter(a, attempts, true).isEmpty());
        if (explained) {
            return;
        }
        List<Attempt> refusedDeletes = attempts.stream()
                .filter(a -> !a.put() && a.outcome() == Outcome.REFUSED).toList();
        if (!refusedDeletes.isEmpty()) {
            written.add(id + ": no row, yet the only DELETEs were refused: " + describe(refusedDeletes));
        } else {
            lost.add(id + ": no row and no DELETE, though " + describe(acknowledgedPuts) + " was acknowledged");
        }
    }

    /**
     * The acknowledged writes sent after {@code write}'s latest possible effect (only PUTs when
     * {@code putsOnly}): each surely took effect after it.
     */
    private static List<Attempt> surelyAfter(Attempt write, List<Attempt> attempts, boolean putsOnly) {
        if (write.outcome() != Outcome.ACKNOWLEDGED) {
            return List.of();
        }
        return attempts.stream()
                .filter(a -> a != write && a.outcome() == Outcome.ACKNOWLEDGED && (!putsOnly || a.put())
                        && a.startNanos() > write.endNanos())
                .toList();
    }

    private static String describe(List<Attempt> attempts) {
        return attempts.stream().limit(3).map(Attempt::toString).collect(Collectors.joining(", "))
                + (attempts.size() > 3 ? " and " + (attempts.size() - 3) + " more" : "");
    }

    /** Acknowledged writes lost: the number the resiliency matrix reports. */
    public int lostCount() {
        return lost.size();
    }

    /** Writes answered non-2xx and applied anyway: the number the resiliency matrix reports. */
    public int writtenDespiteRefusalCount() {
        return writtenDespiteRefusal.size();
    }

    public boolean clean() {
        return lost.isEmpty() && writtenDespiteRefusal.isEmpty() && duplicates.isEmpty() && stale.isEmpty();
    }

    private static String serve(int port, String id) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/items/" + id)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return response.statusCode() + " " + response.body();
            }
            JsonNode item = JSON.readTree(response.body());
            return "200 v" + item.get("version").asLong() + " '" + item.get("name").asText() + "' ("
                    + response.headers().firstValue("X-Cache").orElse("no X-Cache") + ")";
        } catch (IOException e) {
            return "no response: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
