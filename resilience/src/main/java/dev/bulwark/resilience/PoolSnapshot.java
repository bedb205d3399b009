package dev.bulwark.resilience;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connection pool's counts at one moment, as the pool reports them: connections in use, connections
 * idle, callers waiting for one, and the most it will open (commons-pool2 reports a negative
 * {@code max} for "no limit"). Immutable.
 */
public record PoolSnapshot(int active, int idle, int waiting, int max) {

    /** As shown in health details and JSON: {@code {"active", "idle", "waiting", "max"}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("active", active);
        map.put("idle", idle);
        map.put("waiting", waiting);
        map.put("max", max);
        return map;
    }
}
