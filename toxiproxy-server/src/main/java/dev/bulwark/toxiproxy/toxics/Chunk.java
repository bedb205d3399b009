package dev.bulwark.toxiproxy.toxics;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One piece of data read from a link's source, or the end-of-stream marker, waiting in the link's
 * queue. Carries its read time so toxics can compute release times against it, and a fixed random
 * {@code noise} in [-1, 1) so a jittered release time stays the same each time it is recomputed.
 * Not thread-safe: guarded by the owning link's lock.
 */
public final class Chunk {

    private final byte[] bytes;
    private final long readAt;
    private final double noise;
    private int position;

    private Chunk(byte[] bytes, long readAt, double noise) {
        this.bytes = bytes;
        this.readAt = readAt;
        this.noise = noise;
    }

    public static Chunk data(byte[] bytes, long readAt) {
        return new Chunk(bytes, readAt, ThreadLocalRandom.current().nextDouble(-1.0, 1.0));
    }

    public static Chunk end(long readAt) {
        return new Chunk(null, readAt, 0.0);
    }

    public boolean isEnd() {
        return bytes == null;
    }

    long readAt() {
        return readAt;
    }

    double noise() {
        return noise;
    }

    public byte[] bytes() {
        return bytes;
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return bytes == null ? 0 : bytes.length - position;
    }

    public void advance(int count) {
        position += count;
    }
}
