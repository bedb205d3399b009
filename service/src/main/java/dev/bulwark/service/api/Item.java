package dev.bulwark.service.api;

import java.time.Instant;

/**
 * A stored item, as the API returns it and as the cache holds it.
 *
 * @param id        1..64 characters of {@code [A-Za-z0-9._-]}
 * @param name      1..200 characters
 * @param quantity  zero or more
 * @param version   1 when created, one more on every replace
 * @param updatedAt when the database last wrote it
 */
public record Item(String id, String name, int quantity, long version, Instant updatedAt) {
}
