package dev.bulwark.toxiproxy.toxics;

import java.util.concurrent.TimeUnit;

/**
 * What one toxic does to one link (one direction of one connection), plus the state it keeps there.
 *
 * <p>A link consults its stages in chain order: on the reader side when data or end of stream
 * arrives ({@link #admit}, {@link #swallowEof}), and on the writer side, each time it considers the
 * chunk at the head of its queue ({@link #releaseAt}, {@link #maxPiece}, {@link #onWritten}) or a
 * timer ({@link #deadline}). Because the writer asks again whenever the toxics change, a removed
 * toxic stops holding data at once, which is how held data is flushed on removal. Every default
 * lets data through untouched.
 *
 * <p>Times are {@link System#nanoTime()} values passed in by the caller, so stages can be tested
 * without sleeping. Not thread-safe: the owning link calls it under its lock.
 *
 * @param <T> the toxic type this stage implements
 */
abstract class ToxicStage<T extends Toxic> {

    /** Returned by {@link #releaseAt} to hold the chunk until the toxics change. */
    static final long HOLD = Long.MAX_VALUE;

    /** Returned by {@link #deadline} when no timer is set. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private T config;

    ToxicStage(T config) {
        this.config = config;
    }

    final T config() {
        return config;
    }

    /** Applies an updated configuration of the same toxic; {@code now} restarts timers where Go does. */
    @SuppressWarnings("unchecked")
    final void reconfigure(Toxic next, long now) {
        this.config = (T) next;
        onReconfigured(now);
    }

    void onReconfigured(long now) {
    }

    /** How many of {@code length} bytes just read pass on; 0 drops them all. */
    int admit(int length, long now) {
        return length;
    }

    /** True once this stage wants the link to end after the bytes it admitted. */
    boolean exhausted() {
        return false;
    }

    /** True if the source's end of stream must not be passed on. */
    boolean swallowEof(long now) {
        return false;
    }

    /**
     * When the head chunk may be written, given the time the stages before this one allow.
     *
     * @return a time, or {@link #HOLD}
     */
    long releaseAt(long earliest, Chunk head) {
        return earliest;
    }

    /** The largest number of bytes this stage lets through in one write. */
    int maxPiece() {
        return Integer.MAX_VALUE;
    }

    /** Records that {@code bytes} of the head chunk were handed to the destination at {@code now}. */
    void onWritten(int bytes, long now) {
    }

    /** When this stage's timer fires, or {@link #NO_DEADLINE}. */
    long deadline() {
        return NO_DEADLINE;
    }

    /** What happens to the connection once {@link #deadline()} has passed. */
    Fault onDeadline() {
        return Fault.NONE;
    }

    /** What happens to the connection when the toxic is removed while the link is open. */
    Fault onRemoved() {
        return Fault.NONE;
    }

    static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
