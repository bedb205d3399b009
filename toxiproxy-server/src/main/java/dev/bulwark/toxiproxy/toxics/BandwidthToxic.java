package dev.bulwark.toxiproxy.toxics;

import java.util.Map;

/**
 * {@code bandwidth}: paces data to {@code rate} KB/s (1 KB = 1000 bytes), writing at most 100 ms worth
 * at a time. Rate 0 (the default) lets nothing through while keeping the sockets open, a "cut"
 * connection; the held data is released when the toxic is removed or the rate raised.
 *
 * @param rate kilobytes per second
 */
record BandwidthToxic(long rate) implements Toxic {

    static BandwidthToxic from(Attributes attributes) {
        return new BandwidthToxic(attributes.get("rate"));
    }

    @Override
    public ToxicType type() {
        return ToxicType.BANDWIDTH;
    }

    @Override
    public Map<String, Long> attributes() {
        return Attributes.ordered("rate", rate);
    }

    @Override
    public ToxicStage<?> newStage(long now) {
        return new Stage(this);
    }

    private static final class Stage extends ToxicStage<BandwidthToxic> {

        private static final long NANOS_PER_BYTE_AT_1_KBPS = 1_000_000L;

        private long nextFree;

        Stage(BandwidthToxic config) {
            super(config);
        }

        @Override
        long releaseAt(long earliest, Chunk head) {
            if (head.isEnd()) {
                return earliest;
            }
            if (config().rate() == 0) {
                return HOLD;
            }
            return Math.max(earliest, nextFree);
        }

        @Override
        int maxPiece() {
            long rate = config().rate();
            if (rate == 0) {
                return Integer.MAX_VALUE;
            }
            // 100 ms worth per write, as Go does, so a slow rate trickles rather than bursts.
            return (int) Math.min(Integer.MAX_VALUE, Math.max(1, rate * 100));
        }

        @Override
        void onWritten(int bytes, long now) {
            long rate = config().rate();
            if (rate > 0) {
                nextFree = Math.max(nextFree, now) + bytes * NANOS_PER_BYTE_AT_1_KBPS / rate;
            }
        }
    }
}
