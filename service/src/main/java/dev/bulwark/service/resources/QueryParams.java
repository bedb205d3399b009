package dev.bulwark.service.resources;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict query-parameter parsing: an unknown parameter, a repeated one or a value out of range is a
 * 400 naming it, never silently ignored (JAX-RS would turn a bad {@code int} into a 404). Immutable.
 */
final class QueryParams {

    private final MultivaluedMap<String, String> params;

    private QueryParams(MultivaluedMap<String, String> params) {
        this.params = params;
    }

    /** Rejects any query parameter not in {@code allowed}, and any given more than once. */
    static QueryParams requireOnly(UriInfo uri, String... allowed) {
        MultivaluedMap<String, String> params = uri.getQueryParameters();
        Set<String> unknown = new TreeSet<>(params.keySet());
        unknown.removeAll(Set.of(allowed));
        if (!unknown.isEmpty()) {
            throw new BadRequestException("unknown query parameter" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown.stream().map(ItemId::quote).toList())
                    + (allowed.length == 0 ? "; this endpoint takes none" : "; allowed: " + String.join(", ", allowed)));
        }
        for (String name : allowed) {
            List<String> values = params.get(name);
            if (values != null && values.size() > 1) {
                throw new BadRequestException("query parameter '" + name + "' is given " + values.size()
                        + " times; give it once");
            }
        }
        return new QueryParams(params);
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(params.getFirst(name));
    }

    int intValue(String name, int defaultValue, int min, int max) {
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String text = raw.get();
        if (text.matches("\\d{1,9}")) {
            int parsed = Integer.parseInt(text);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        }
        throw new BadRequestException("invalid value " + ItemId.quote(text) + " for query parameter '" + name
                + "': it must be an integer from " + min + " to " + max);
    }
}
