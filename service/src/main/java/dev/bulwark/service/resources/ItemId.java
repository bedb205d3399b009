package dev.bulwark.service.resources;

import jakarta.ws.rs.BadRequestException;
import java.util.regex.Pattern;

/** Validation of item ids: 1..64 characters of {@code [A-Za-z0-9._-]}. Stateless. */
final class ItemId {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String RULE = "1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'";

    private ItemId() {
    }

    /** Returns the id if valid, else throws 400 saying why. */
    static String check(String id) {
        if (id == null || !VALID.matcher(id).matches()) {
            throw new BadRequestException("invalid item id " + quote(id) + ": an id is " + RULE);
        }
        return id;
    }

    /** Same rule for the {@code after} query parameter of the list. */
    static String checkAfter(String after) {
        if (!VALID.matcher(after).matches()) {
            throw new BadRequestException("invalid value " + quote(after) + " for query parameter 'after': "
                    + "it must be an item id, " + RULE);
        }
        return after;
    }

    /** Quotes at most 80 characters of what the client sent, so an error message can't be made huge. */
    static String quote(String value) {
        if (value == null || value.isEmpty()) {
            return "'' (empty)";
        }
        return value.length() <= 80 ? "'" + value + "'" : "'" + value.substring(0, 80) + "...' (" + value.length()
                + " characters)";
    }
}
