package dev.bulwark.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * The resiliency matrix: one row per dependency × fault, written to {@code resiliency-matrix.md} and
 * {@code resiliency-matrix.json} in its directory. Both files are rewritten from every row so far each
 * time a scenario adds its row, so they are complete after the last scenario whichever order the
 * scenarios ran in, with nothing to run afterwards. A row added again for the same dependency and fault
 * replaces the earlier one. Thread-safe.
 */
public final class ResiliencyMatrix {

    /** What a dependency fault should mean for clients. */
    public enum Expected {
        /** Every request served as usual, maybe slower. */
        AVAILABLE,
        /** Served without the optional dependency (Redis): reads say {@code X-Cache: BYPASS}. */
        DEGRADED,
        /** Refused at once with 503 and {@code Retry-After}, then recovered. */
        FAST_FAIL,
        /** At start-up: keeps retrying, then starts and serves once the dependency is reachable. */
        WAITS,
        /** At start-up: gives up after its last attempt, exiting non-zero with one clear error. */
        EXITS;

        String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /**
     * One scenario's outcome.
     *
     * @param dependency     {@code database} or {@code redis}
     * @param fault          what was done to it, e.g. "latency 300 ms"
     * @param expected       what clients should see
     * @param observed       what they saw, in a few words with figures
     * @param recoveryMillis from the fault's removal to the service fully serving again (Redis: to cache hits
     *                       again; start-up: to readiness passing); null when not measured
     * @param goodputRatio   acknowledged writes a second during the fault over what the pool can do (pool size /
     *                       latency); null when not measured
     * @param requests       requests the load sent
     * @param byStatus       responses by status ({@value Sample#NO_RESPONSE}: none)
     * @param lostWrites     acknowledged writes PostgreSQL does not reflect afterwards; must be 0
     * @param writtenDespiteRefusal writes answered non-2xx (not "outcome unknown") that PostgreSQL reflects; must be 0
     * @param indeterminate  writes answered 503 "outcome unknown": counted, allowed either way
     * @param scenario       the test that produced the row
     */
    public record Row(String dependency, String fault, Expected expected, String observed, Long recoveryMillis,
                      Double goodputRatio, int requests, SortedMap<Integer, Long> byStatus, int lostWrites,
                      int writtenDespiteRefusal, long indeterminate, String scenario) {

        /** A row whose write figures come from {@code ledger} (none when null: nothing was written). */
        public static Row of(String dependency, String fault, Expected expected, String observed, Long recoveryMillis,
                             Double goodputRatio, LoadResult all, LedgerCheck ledger, String scenario) {
            return new Row(dependency, fault, expected, observed, recoveryMillis, goodputRatio, all.requests(),
                    all.byStatus(), ledger == null ? 0 : ledger.lostCount(),
                    ledger == null ? 0 : ledger.writtenDespiteRefusalCount(), ledger == null ? 0 : ledger.indeterminate(),
                    scenario);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path directory;
    private final Map<String, Row> rows = new LinkedHashMap<>();

    private ResiliencyMatrix(Path directory) {
        this.directory = directory;
    }

    /** A matrix written to {@code directory} (created if missing). */
    public static ResiliencyMatrix inDirectory(String directory) {
        return new ResiliencyMatrix(Path.of(directory));
    }

    public Path markdownFile() {
        return directory.resolve("resiliency-matrix.md");
    }

    public Path jsonFile() {
        return directory.resolve("resiliency-matrix.json");
    }

    /** Adds (or replaces) a row and rewrites both files. */
    public synchronized void record(Row row) {
        rows.put(row.dependency() + " × " + row.fault(), row);
        try {
            Files.createDirectories(directory);
            Files.writeString(markdownFile(), markdown());
            Files.writeString(jsonFile(), json());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the resiliency matrix to " + directory, e);
        }
    }

    /** The rows so far, in the order first recorded. */
    public synchronized List<Row> rows() {
        return List.copyOf(rows.values());
    }

    synchronized String markdown() {
        StringBuilder md = new StringBuilder("# Resiliency matrix\n\n")
                .append("One row per dependency × fault, from the chaos suite (`mvn -B -pl chaos-tests -am verify`).\n")
                .append("Recovery: from the fault's removal to the service fully serving again (Redis: to cache hits again;\n")
                .append("start-up: to readiness passing). Goodput ratio: acknowledged writes a second during the fault over\n")
                .append("pool size / latency. Lost: acknowledged writes PostgreSQL does not reflect afterwards (must be 0).\n")
                .append("Non-2xx written: writes answered with another status that PostgreSQL reflects anyway (must be 0).\n")
                .append("Indeterminate: writes answered 503 \"outcome unknown\", allowed either way.\n\n")
                .append("| Dependency | Fault | Expected | Observed | Recovery (ms) | Goodput ratio | Requests | Responses | Lost "
                        + "| Non-2xx written | Indeterminate |\n")
                .append("|---|---|---|---|---:|---:|---:|---|---:|---:|---:|\n");
        for (Row row : rows.values()) {
            md.append("| ").append(row.dependency())
                    .append(" | ").append(row.fault())
                    .append(" | ").append(row.expected().label())
                    .append(" | ").append(row.observed().replace("|", "\\|"))
                    .append(" | ").append(row.recoveryMillis() == null ? "–" : row.recoveryMillis())
                    .append(" | ").append(row.goodputRatio() == null ? "–"
                            : String.format(Locale.ROOT, "%.2f", row.goodputRatio()))
                    .append(" | ").append(row.requests())
                    .append(" | ").append(row.byStatus().isEmpty() ? "–" : LoadResult.describe(row.byStatus()))
                    .append(" | ").append(row.lostWrites())
                    .append(" | ").append(row.writtenDespiteRefusal())
                    .append(" | ").append(row.indeterminate())
                    .append(" |\n");
        }
        return md.toString();
    }

    synchronized String json() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row row : rows.values()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dependency", row.dependency());
            entry.put("fault", row.fault());
            entry.put("expected", row.expected().label());
            entry.put("observed", row.observed());
            entry.put("recoveryMillis", row.recoveryMillis());
            entry.put("goodputRatio", row.goodputRatio());
            entry.put("requests", row.requests());
            Map<String, Long> statuses = new LinkedHashMap<>();
            row.byStatus().forEach((status, count) -> statuses.put(
                    status == Sample.NO_RESPONSE ? "no response" : Integer.toString(status), count));
            entry.put("responses", statuses);
            entry.put("lostWrites", row.lostWrites());
            entry.put("writtenDespiteRefusal", row.writtenDespiteRefusal());
            entry.put("indeterminateWrites", row.indeterminate());
            entry.put("scenario", row.scenario());
            out.add(entry);
        }
        return JSON.writeValueAsString(Map.of("rows", out));
    }
}
