package dev.bulwark.resilience;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recent call to a dependency that failed for good (after its retries, or because the retry
 * budget was spent): when, and the most specific message in its cause chain ("Connection refused"),
 * {@linkplain Sanitizer#message sanitised} and on one line. Immutable.
 */
public record LastFailure(Instant time, String message) {

    /** As shown in health details and JSON: {@code {"time": ISO-8601, "message": ...}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("time", time.toString());
        map.put("message", message);
        return map;
    }
}
