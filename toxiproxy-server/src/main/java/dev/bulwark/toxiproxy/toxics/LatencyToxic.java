package dev.bulwark.toxiproxy.toxics;

import java.util.Map;

/**
 * {@code latency}: each chunk is released {@code latency} ms after it was read, plus a uniform offset
 * in [-jitter, +jitter); order is kept and connecting is not delayed. Defaults 0 and 0.
 *
 * @param latency delay in milliseconds
 * @param jitter  maximum random deviation in milliseconds
 */
record LatencyToxic(long latency, long jitter) implements Toxic {

    static LatencyToxic from(Attributes attributes) {
        return new LatencyToxic(attributes.get("latency"), attributes.get("jitter"));
    }

    @Override
    public ToxicType type() {
        return ToxicType.LATENCY;
    }

    @Override
    public Map<String, Long> attributes() {
        return Attributes.ordered("latency", latency, "jitter", jitter);
    }

    @Override
    public ToxicStage<?> newStage(long now) {
        return new Stage(this);
    }

    private static final class Stage extends ToxicStage<LatencyToxic> {

        Stage(LatencyToxic config) {
            super(config);
        }

        @Override
        long releaseAt(long earliest, Chunk head) {
            if (head.isEnd()) {
                return earliest;
            }
            long jitter = config().jitter();
            long offset = jitter > 0 ? (long) Math.floor(jitter * head.noise()) : 0;
            return earliest + millis(config().latency() + offset);
        }
    }
}
