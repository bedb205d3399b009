package dev.bulwark.toxiproxy.toxics;

import java.util.Map;

/**
 * {@code timeout}: data in this direction is discarded. With {@code timeout} > 0 the connection is
 * closed once that many ms pass without incoming data; 0 (the default) never closes it. Removing
 * the toxic closes the connections it was acting on, as in Go.
 *
 * @param timeout milliseconds of silence before the connection is closed; 0 = never
 */
record TimeoutToxic(long timeout) implements Toxic {

    static TimeoutToxic from(Attributes attributes) {
        return new TimeoutToxic(attributes.get("timeout"));
    }

    @Override
    public ToxicType type() {
        return ToxicType.TIMEOUT;
    }

    @Override
    public Map<String, Long> attributes() {
        return Attributes.ordered("timeout", timeout);
    }

    @Override
    public ToxicStage<?> newStage(long now) {
        return new Stage(this, now);
    }

    private static final class Stage extends ToxicStage<TimeoutToxic> {

        private long lastSeen;

        Stage(TimeoutToxic config, long now) {
            super(config);
            this.lastSeen = now;
        }

        @Override
        void onReconfigured(long now) {
            lastSeen = now;
        }

        @Override
        int admit(int length, long now) {
            lastSeen = now;
            return 0;
        }

        @Override
        long deadline() {
            return config().timeout() > 0 ? lastSeen + millis(config().timeout()) : NO_DEADLINE;
        }

        @Override
        Fault onDeadline() {
            return Fault.CLOSE;
        }

        @Override
        Fault onRemoved() {
            return Fault.CLOSE;
        }
    }
}
