package dev.bulwark.service.db;

import dev.bulwark.service.api.Item;

/**
 * The outcome of an upsert.
 *
 * @param item    the row as stored
 * @param created true when the row did not exist before
 */
public record StoredItem(Item item, boolean created) {
}
