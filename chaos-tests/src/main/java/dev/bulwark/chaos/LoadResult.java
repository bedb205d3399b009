package dev.bulwark.chaos;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a {@link Load} sent and got back, in the order the requests finished. Immutable.
 *
 * @param samples every request
 */
public record LoadResult(List<Sample> samples) {

    public LoadResult {
        samples = List.copyOf(samples);
    }

    /** Only the requests sent during {@code phase}. */
    public LoadResult in(String phase) {
        return filter(sample -> sample.phase().equals(phase));
    }

    public LoadResult filter(Predicate<Sample> predicate) {
        return new LoadResult(samples.stream().filter(predicate).toList());
    }

    public int requests() {
        return samples.size();
    }

    public long count(Predicate<Sample> predicate) {
        return samples.stream().filter(predicate).count();
    }

    /** Responses by status, lowest first ({@value Sample#NO_RESPONSE} for none). */
    public SortedMap<Integer, Long> byStatus() {
        return samples.stream().collect(Collectors.groupingBy(Sample::status, TreeMap::new, Collectors.counting()));
    }

    /** {@code 200: 812, 503: 40}; "none" when empty. */
    public String statusSummary() {
        return byStatus().isEmpty() ? "none" : describe(byStatus());
    }

    /** {@code 200: 812, 503: 40} for counts by status. */
    public static String describe(SortedMap<Integer, Long> byStatus) {
        return byStatus.entrySet().stream()
                .map(entry -> (entry.getKey() == Sample.NO_RESPONSE ? "no response" : entry.getKey()) + ": "
                        + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The {@code p}-th percentile latency in milliseconds (nearest rank), 0 when empty. */
    public double percentileMillis(double p) {
        double[] sorted = samples.stream().mapToDouble(Sample::latencyMillis).sorted().toArray();
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public double maxMillis() {
        return samples.stream().mapToDouble(Sample::latencyMillis).max().orElse(0);
    }

    /** Counts by {@code X-Cache} value. */
    public Map<String, Long> byCache() {
        return samples.stream().filter(sample -> !sample.cache().isEmpty())
                .collect(Collectors.groupingBy(Sample::cache, TreeMap::new, Collectors.counting()));
    }

    /**
     * What clients saw, in a few words with figures: "errors" when any response was a 5xx other than 503 or
     * never came, else "fast-fail" when some were 503s, else "degraded" when reads bypassed the cache, else
     * "available".
     */
    public String observed() {
        long errors = count(sample -> sample.failed() && sample.status() != 503);
        long rejected = count(sample -> sample.status() == 503);
        long bypassed = count(sample -> sample.cache().equals("BYPASS"));
        String latency = "p50 " + round(percentileMillis(50)) + " ms, p99 " + round(percentileMillis(99)) + " ms";
        if (errors > 0) {
            return "errors: " + errors + " of " + requests() + " failed without a 503, " + latency;
        }
        if (rejected > 0) {
            LoadResult rejections = filter(sample -> sample.status() == 503);
            return "fast-fail: " + rejected + " × 503 (p99 " + round(rejections.percentileMillis(99)) + " ms), "
                    + (requests() - rejected) + " served, " + latency;
        }
        if (bypassed > 0) {
            return "degraded: all served, " + bypassed + " reads BYPASS, " + latency;
        }
        return "available: all served, " + latency;
    }

    @Override
    public String toString() {
        return requests() + " requests (" + statusSummary() + "), p50 " + round(percentileMillis(50)) + " ms, p99 "
                + round(percentileMillis(99)) + " ms, max " + round(maxMillis()) + " ms";
    }

    static String round(double millis) {
        return millis >= 100 ? Long.toString(Math.round(millis)) : String.format(java.util.Locale.ROOT, "%.1f", millis);
    }
}
