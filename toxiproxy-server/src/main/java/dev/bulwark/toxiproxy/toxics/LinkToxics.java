package dev.bulwark.toxiproxy.toxics;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The toxics acting on one link, in chain (insertion) order, each with its per-link state and its
 * toxicity roll. Answers the link's questions by asking every active stage in order. Not
 * thread-safe: the owning {@code Link} calls it under its lock.
 */
public final class LinkToxics {

    /** How much of a freshly read chunk passes on, and whether the link ends after it. */
    public record Admission(int bytes, boolean end) {
    }

    private static final class Entry {
        final String name;
        final ToxicStage<?> stage;
        boolean active;

        Entry(String name, ToxicStage<?> stage, boolean active) {
            this.name = name;
            this.stage = stage;
            this.active = active;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    public void add(ToxicSpec spec, long now) {
        entries.add(new Entry(spec.name(), spec.toxic().newStage(now), roll(spec.toxicity())));
    }

    public void update(ToxicSpec spec, long now) {
        for (Entry entry : entries) {
            if (entry.name.equals(spec.name())) {
                entry.stage.reconfigure(spec.toxic(), now);
                // Go restarts the toxic on update, which draws its toxicity again.
                entry.active = roll(spec.toxicity());
            }
        }
    }

    /** Removes the toxic; returns what its removal does to the connection. */
    public Fault remove(String name) {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.name.equals(name)) {
                it.remove();
                return entry.active ? entry.stage.onRemoved() : Fault.NONE;
            }
        }
        return Fault.NONE;
    }

    public boolean anyActive() {
        for (Entry entry : entries) {
            if (entry.active) {
                return true;
            }
        }
        return false;
    }

    public Admission admit(int length, long now) {
        int passed = length;
        for (Entry entry : entries) {
            if (!entry.active) {
                continue;
            }
            passed = entry.stage.admit(passed, now);
            if (entry.stage.exhausted()) {
                return new Admission(passed, true);
            }
            if (passed == 0) {
                break;
            }
        }
        return new Admission(passed, false);
    }

    public boolean swallowEof(long now) {
        for (Entry entry : entries) {
            if (entry.active && entry.stage.swallowEof(now)) {
                return true;
            }
        }
        return false;
    }

    /** When the head chunk may be written, or {@code Long.MAX_VALUE} to hold it until the toxics change. */
    public long releaseAt(Chunk head) {
        long release = head.readAt();
        for (Entry entry : entries) {
            if (entry.active) {
                release = entry.stage.releaseAt(release, head);
                if (release == ToxicStage.HOLD) {
                    return ToxicStage.HOLD;
                }
            }
        }
        return release;
    }

    public int maxPiece() {
        int max = Integer.MAX_VALUE;
        for (Entry entry : entries) {
            if (entry.active) {
                max = Math.min(max, entry.stage.maxPiece());
            }
        }
        return max;
    }

    public void onWritten(int bytes, long now) {
        for (Entry entry : entries) {
            if (entry.active) {
                entry.stage.onWritten(bytes, now);
            }
        }
    }

    /** When the first stage timer fires, or {@code Long.MAX_VALUE} when none is set. */
    public long nextDeadline() {
        long next = ToxicStage.NO_DEADLINE;
        for (Entry entry : entries) {
            if (entry.active) {
                next = Math.min(next, entry.stage.deadline());
            }
        }
        return next;
    }

    /** The fault of the first stage whose deadline has passed, or {@link Fault#NONE}. */
    public Fault dueFault(long now) {
        for (Entry entry : entries) {
            if (entry.active && entry.stage.deadline() <= now) {
                Fault fault = entry.stage.onDeadline();
                if (fault != Fault.NONE) {
                    return fault;
                }
            }
        }
        return Fault.NONE;
    }

    private static boolean roll(float toxicity) {
        return ThreadLocalRandom.current().nextFloat() < toxicity;
    }
}
