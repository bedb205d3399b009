package dev.bulwark.service.db;

/**
 * One row of the cache invalidation outbox: the item and the highest version whose invalidation is owed.
 *
 * @param id      the item id
 * @param version the version to raise the cache's floor to (the cache's "deleted" floor for a delete)
 */
public record PendingInvalidation(String id, long version) {
}
