package dev.bulwark.toxiproxy.toxics;

import dev.bulwark.toxiproxy.api.ApiError;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The integer attributes given for a toxic, as read from JSON. An absent attribute reads as 0,
 * which is the Go server's default for every attribute; a negative one is rejected.
 * Immutable; thread-safe.
 *
 * @param values attribute name to value; null values count as absent
 */
record Attributes(Map<String, Long> values) {

    Attributes {
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The value of {@code name}, 0 when absent.
     *
     * @throws ApiError 400 when the value is negative
     */
    long get(String name) {
        Long value = values.get(name);
        if (value == null) {
            return 0;
        }
        if (value < 0) {
            throw ApiError.badRequestBody("attribute " + name + " must not be negative, got " + value);
        }
        return value;
    }

    /** These values with every non-null value of {@code patch} laid over them (the update merge). */
    Attributes overlaid(Map<String, Long> patch) {
        if (patch == null) {
            return this;
        }
        Map<String, Long> merged = new LinkedHashMap<>(values);
        patch.forEach((name, value) -> {
            if (value != null) {
                merged.put(name, value);
            }
        });
        return new Attributes(merged);
    }

    static Map<String, Long> ordered(String name, long value) {
        Map<String, Long> map = new LinkedHashMap<>();
        map.put(name, value);
        return Collections.unmodifiableMap(map);
    }

    static Map<String, Long> ordered(String first, long firstValue, String second, long secondValue) {
        Map<String, Long> map = new LinkedHashMap<>();
        map.put(first, firstValue);
        map.put(second, secondValue);
        return Collections.unmodifiableMap(map);
    }

    static Map<String, Long> ordered(String first, long firstValue, String second, long secondValue,
                                     String third, long thirdValue) {
        Map<String, Long> map = new LinkedHashMap<>();
        map.put(first, firstValue);
        map.put(second, secondValue);
        map.put(third, thirdValue);
        return Collections.unmodifiableMap(map);
    }
}
