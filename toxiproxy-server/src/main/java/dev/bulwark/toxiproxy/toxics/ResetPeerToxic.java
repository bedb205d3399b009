package dev.bulwark.toxiproxy.toxics;

import java.util.Map;

/**
 * {@code reset_peer}: the first data (or end of stream) in this direction is dropped, and
 * {@code timeout} ms later the connection is closed with a TCP RST, so the client sees
 * "connection reset". Later data is dropped too. Default 0 = reset at once.
 *
 * @param timeout milliseconds between the first data and the reset
 */
record ResetPeerToxic(long timeout) implements Toxic {

    static ResetPeerToxic from(Attributes attributes) {
        return new ResetPeerToxic(attributes.get("timeout"));
    }

    @Override
    public ToxicType type() {
        return ToxicType.RESET_PEER;
    }

    @Override
    public Map<String, Long> attributes() {
        return Attributes.ordered("timeout", timeout);
    }

    @Override
    public ToxicStage<?> newStage(long now) {
        return new Stage(this);
    }

    private static final class Stage extends ToxicStage<ResetPeerToxic> {

        private long resetAt = NO_DEADLINE;

        Stage(ResetPeerToxic config) {
            super(config);
        }

        @Override
        int admit(int length, long now) {
            arm(now);
            return 0;
        }

        @Override
        boolean swallowEof(long now) {
            arm(now);
            return true;
        }

        private void arm(long now) {
            if (resetAt == NO_DEADLINE) {
                resetAt = now + millis(config().timeout());
            }
        }

        @Override
        long deadline() {
            return resetAt;
        }

        @Override
        Fault onDeadline() {
            return Fault.RESET;
        }
    }
}
