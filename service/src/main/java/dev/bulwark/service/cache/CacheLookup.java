package dev.bulwark.service.cache;

import dev.bulwark.service.api.Item;
import java.util.Optional;

/**
 * The result of looking an item up in Redis.
 *
 * @param status HIT (item present), MISS, or BYPASS when Redis could not be asked
 * @param item   the cached item on a HIT
 */
public record CacheLookup(CacheStatus status, Optional<Item> item) {

    static final CacheLookup MISS = new CacheLookup(CacheStatus.MISS, Optional.empty());
    static final CacheLookup BYPASS = new CacheLookup(CacheStatus.BYPASS, Optional.empty());

    static CacheLookup hit(Item item) {
        return new CacheLookup(CacheStatus.HIT, Optional.of(item));
    }
}
