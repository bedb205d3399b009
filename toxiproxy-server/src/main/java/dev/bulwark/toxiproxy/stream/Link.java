package dev.bulwark.toxiproxy.stream;

import dev.bulwark.toxiproxy.toxics.Chunk;
import dev.bulwark.toxiproxy.toxics.Fault;
import dev.bulwark.toxiproxy.toxics.LinkToxics;
import dev.bulwark.toxiproxy.toxics.ToxicSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of one proxied connection: a reader thread that reads from the source, and a writer
 * thread that writes to the destination once the toxics let the data go. Toxics see the data in
 * chunks of at most 32 KiB.
 *
 * <p>With no active toxic and nothing queued, the reader writes straight to the destination from its
 * own buffer: no copy, no hand-off, so a toxic-free proxy adds little latency. Otherwise each chunk is
 * admitted through the toxics (which may drop, truncate or end), queued with its read time, and the
 * writer asks the toxics again each time it looks at the head of the queue, waking whenever a toxic
 * changes. That is what makes toxics act on open connections and makes removal release held data.
 * The queue holds at most {@value #MAX_QUEUED_BYTES} bytes; beyond that the reader waits, so a held
 * link pushes back on its source instead of buffering without bound.
 *
 * <p>Thread-safe: the two threads and the control API share state under one lock, and never call
 * out of this class while holding it.
 */
final class Link {

    static final int CHUNK_SIZE = 32 * 1024;
    static final int READ_BUFFER_SIZE = 256 * 1024;
    static final long MAX_QUEUED_BYTES = 4L * 1024 * 1024;

    private enum Action { WRITE, END, CLOSE, RESET, STOP }

    private record Step(Action action, ByteBuffer piece) {
        static final Step END = new Step(Action.END, null);
        static final Step STOP = new Step(Action.STOP, null);

        static Step of(Fault fault) {
            return new Step(fault == Fault.RESET ? Action.RESET : Action.CLOSE, null);
        }
    }

    private final Connection connection;
    private final SocketChannel source;
    private final SocketChannel destination;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkToxics toxics = new LinkToxics();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean readerWriting;
    private boolean writerWriting;
    private boolean eofSwallowed;
    private boolean stopped;

    Link(Connection connection, SocketChannel source, SocketChannel destination) {
        this.connection = connection;
        this.source = source;
        this.destination = destination;
    }

    void addToxic(ToxicSpec spec, long now) {
        change(() -> toxics.add(spec, now));
    }

    void updateToxic(ToxicSpec spec, long now) {
        change(() -> toxics.update(spec, now));
    }

    /** Removes a toxic; the caller applies the returned fault to the connection. */
    Fault removeToxic(String name, long now) {
        lock.lock();
        try {
            Fault fault = toxics.remove(name);
            if (eofSwallowed && !toxics.swallowEof(now)) {
                // The end of stream a reset_peer was sitting on is passed on after all.
                eofSwallowed = false;
                queue.add(Chunk.end(now));
            }
            changed.signalAll();
            return fault;
        } finally {
            lock.unlock();
        }
    }

    /** Makes both threads finish; the connection closes the sockets. */
    void stop() {
        change(() -> {
            stopped = true;
            queue.clear();
        });
    }

    /** Runs {@code change} under the lock, then wakes both threads to look at the new state. */
    private void change(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void runReader() {
        // Reads larger than a chunk mean fewer system calls on the toxic-free path; data that goes
        // through the toxics is still cut into chunks of at most CHUNK_SIZE.
        ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
        while (readOnce(buffer)) {
            buffer.clear();
        }
    }

    private boolean readOnce(ByteBuffer buffer) {
        int count;
        try {
            count = source.read(buffer);
        } catch (IOException e) {
            // Closed under us or reset by the peer: for this direction, either is the end of stream.
            count = -1;
        }
        long now = System.nanoTime();
        if (count < 0) {
            sourceEnded(now);
            return false;
        }
        buffer.flip();
        lock.lock();
        try {
            while (queuedBytes >= MAX_QUEUED_BYTES && !stopped) {
                changed.awaitUninterruptibly();
            }
            if (stopped) {
                return false;
            }
            readerWriting = queue.isEmpty() && !writerWriting && !toxics.anyActive();
            if (!readerWriting) {
                return enqueue(buffer, now);
            }
        } finally {
            lock.unlock();
        }
        return writeDirect(buffer);
    }

    private boolean enqueue(ByteBuffer buffer, long now) {
        boolean end = false;
        while (buffer.hasRemaining() && !end) {
            int length = Math.min(buffer.remaining(), CHUNK_SIZE);
            LinkToxics.Admission admission = toxics.admit(length, now);
            if (admission.bytes() > 0) {
                byte[] copy = new byte[admission.bytes()];
                buffer.get(copy);
                queue.add(Chunk.data(copy, now));
                queuedBytes += copy.length;
            }
            buffer.position(buffer.position() + length - admission.bytes());
            end = admission.end();
        }
        if (end) {
            queue.add(Chunk.end(now));
        }
        changed.signalAll();
        return !end;
    }

    private boolean writeDirect(ByteBuffer buffer) {
        try {
            return writeFully(buffer);
        } finally {
            lock.lock();
            try {
                readerWriting = false;
                // Waking the writer for every direct write would cost a context switch per chunk;
                // it only has something to do if a chunk was queued meanwhile (it cannot have been).
                if (!queue.isEmpty()) {
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void sourceEnded(long now) {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            if (toxics.swallowEof(now)) {
                eofSwallowed = true;
            } else {
                queue.add(Chunk.end(now));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void runWriter() {
        while (true) {
            Step step = nextStep();
            switch (step.action()) {
                case WRITE -> {
                    if (!write(step.piece())) {
                        return;
                    }
                }
                case END -> {
                    Connection.closeQuietly(destination);
                    connection.linkEnded();
                    return;
                }
                case CLOSE -> {
                    connection.close();
                    return;
                }
                case RESET -> {
                    connection.reset();
                    return;
                }
                default -> {
                    return;
                }
            }
        }
    }

    private boolean write(ByteBuffer piece) {
        try {
            return writeFully(piece);
        } finally {
            change(() -> writerWriting = false);
        }
    }

    /** Writes all of {@code data}; on failure closes the connection and returns false. */
    private boolean writeFully(ByteBuffer data) {
        try {
            while (data.hasRemaining()) {
                destination.write(data);
            }
            return true;
        } catch (IOException e) {
            connection.close();
            return false;
        }
    }

    private Step nextStep() {
        lock.lock();
        try {
            while (!stopped) {
                long now = System.nanoTime();
                Fault fault = toxics.dueFault(now);
                if (fault != Fault.NONE) {
                    return Step.of(fault);
                }
                long wakeAt = toxics.nextDeadline();
                Chunk head = queue.peek();
                if (head != null && !readerWriting) {
                    long release = toxics.releaseAt(head);
                    if (release <= now) {
                        return take(head, now);
                    }
                    wakeAt = Math.min(wakeAt, release);
                }
                if (!awaitUntil(wakeAt, now)) {
                    return Step.STOP;
                }
            }
            return Step.STOP;
        } finally {
            lock.unlock();
        }
    }

    private Step take(Chunk head, long now) {
        if (head.isEnd()) {
            queue.poll();
            return Step.END;
        }
        int count = Math.min(head.remaining(), toxics.maxPiece());
        ByteBuffer piece = ByteBuffer.wrap(head.bytes(), head.position(), count);
        head.advance(count);
        queuedBytes -= count;
        if (head.remaining() == 0) {
            queue.poll();
        }
        toxics.onWritten(count, now);
        writerWriting = true;
        changed.signalAll();
        return new Step(Action.WRITE, piece);
    }

    private boolean awaitUntil(long wakeAt, long now) {
        try {
            if (wakeAt == Long.MAX_VALUE) {
                changed.await();
            } else {
                changed.awaitNanos(Math.max(wakeAt - now, TimeUnit.MICROSECONDS.toNanos(1)));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
