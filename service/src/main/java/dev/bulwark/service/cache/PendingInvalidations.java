package dev.bulwark.service.cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Invalidations that could not reach Redis, kept until Redis answers again so that no copy cached
 * before a write can be served after it. Until they have all been replayed, the cache must not be
 * read. Past {@code limit} ids it stops remembering them one by one and asks for every cached entry
 * to be dropped instead. Thread-safe.
 */
final class PendingInvalidations {

    /** Replays one invalidation; false if Redis did not answer. */
    interface Invalidator {
        boolean invalidate(String id, long floor);
    }

    /** Drops every cached entry; false if Redis did not answer. */
    interface Flusher {
        boolean dropAll();
    }

    private final int limit;
    private final Map<String, Long> floors = new ConcurrentHashMap<>();
    private final ReentrantLock replaying = new ReentrantLock();
    private volatile boolean overflowed;

    PendingInvalidations(int limit) {
        this.limit = limit;
    }

    void remember(String id, long floor) {
        if (overflowed) {
            return;
        }
        floors.merge(id, floor, Math::max);
        if (floors.size() > limit) {
            overflowed = true;
            floors.clear();
        }
    }

    boolean isEmpty() {
        return !overflowed && floors.isEmpty();
    }

    /**
     * Replays everything pending, unless another thread is already doing so.
     *
     * @return true if nothing is pending any more
     */
    boolean replay(Invalidator invalidator, Flusher flusher) {
        if (isEmpty()) {
            return true;
        }
        if (!replaying.tryLock()) {
            return false;
        }
        try {
            if (overflowed) {
                if (!flusher.dropAll()) {
                    return false;
                }
                overflowed = false;
            }
            for (Map.Entry<String, Long> pending : floors.entrySet()) {
                if (!invalidator.invalidate(pending.getKey(), pending.getValue())) {
                    return false;
                }
                // Only this exact floor: a newer failed invalidation for the id stays pending.
                floors.remove(pending.getKey(), pending.getValue());
            }
            return isEmpty();
        } finally {
            replaying.unlock();
        }
    }
}
