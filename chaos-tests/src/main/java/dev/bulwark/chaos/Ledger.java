package dev.bulwark.chaos;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every write the service acknowledged: for each id, the highest version a 2xx PUT returned and the name
 * that write sent. A write the service acknowledged must never be lost, whatever failed meanwhile; a
 * request that got no answer or a 503 promises nothing and is not recorded. Thread-safe.
 */
public final class Ledger {

    /**
     * The latest acknowledged write of one item.
     *
     * @param version the version the service returned
     * @param name    the name that write stored
     */
    public record Write(long version, String name) {
    }

    private final Map<String, Write> latest = new ConcurrentHashMap<>();

    /** Records that a PUT of {@code name} to {@code id} was acknowledged with {@code version}. */
    public void acknowledge(String id, long version, String name) {
        latest.merge(id, new Write(version, name), (old, next) -> next.version() > old.version() ? next : old);
    }

    /** The latest acknowledged write of each id, as a copy. */
    public Map<String, Write> writes() {
        return Map.copyOf(latest);
    }

    public int size() {
        return latest.size();
    }
}
