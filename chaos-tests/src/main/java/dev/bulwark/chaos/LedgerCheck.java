package dev.bulwark.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * What the ledger check found once a scenario has recovered: acknowledged writes missing from PostgreSQL
 * (read directly, never through a proxy), duplicated rows, and reads through the service that did not
 * return PostgreSQL's current row (a stale cache). All three must be empty. Immutable.
 *
 * @param checked    ids checked
 * @param lost       acknowledged writes PostgreSQL does not hold: id and what is wrong
 * @param duplicates ids with more than one row
 * @param stale      ids whose GET through the service differs from PostgreSQL: id and what it returned
 */
public record LedgerCheck(int checked, List<String> lost, List<String> duplicates, List<String> stale) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public LedgerCheck {
        lost = List.copyOf(lost);
        duplicates = List.copyOf(duplicates);
        stale = List.copyOf(stale);
    }

    /**
     * Checks {@code ledger} against PostgreSQL at {@code backends}, and every item whose id starts with
     * {@code idPrefix} against {@code GET /items/{id}} on the service's {@code port}.
     */
    public static LedgerCheck of(Ledger ledger, String idPrefix, Backends backends, int port) {
        Map<String, Ledger.Write> rows = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(backends.jdbcUrl(), backends.dbUser(), backends.dbPassword())) {
            String pattern = idPrefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%";
            try (PreparedStatement select = db.prepareStatement("SELECT id, name, version FROM items WHERE id LIKE ?")) {
                select.setString(1, pattern);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        rows.put(result.getString("id"), new Ledger.Write(result.getLong("version"), result.getString("name")));
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

        List<String> lost = new ArrayList<>();
        ledger.writes().forEach((id, acked) -> {
            Ledger.Write row = rows.get(id);
            if (row == null) {
                lost.add(id + ": acknowledged v" + acked.version() + " '" + acked.name() + "', no row");
            } else if (row.version() < acked.version()
                    || (row.version() == acked.version() && !row.name().equals(acked.name()))) {
                lost.add(id + ": acknowledged v" + acked.version() + " '" + acked.name() + "', stored v"
                        + row.version() + " '" + row.name() + "'");
            }
        });

        List<String> stale = new ArrayList<>();
        rows.forEach((id, row) -> {
            String served = serve(port, id);
            String expected = "200 v" + row.version() + " '" + row.name() + "'";
            if (!served.startsWith(expected)) {
                stale.add(id + ": PostgreSQL has v" + row.version() + " '" + row.name() + "', the service returned " + served);
            }
        });
        return new LedgerCheck(rows.size(), lost, duplicates, stale);
    }

    /** Acknowledged writes lost: the number the resiliency matrix reports. */
    public int lostCount() {
        return lost.size();
    }

    public boolean clean() {
        return lost.isEmpty() && duplicates.isEmpty() && stale.isEmpty();
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
