package dev.bulwark.toxiproxy.toxics;

import java.util.Map;

/**
 * {@code slow_close}: data passes untouched, but when the source reaches end of stream the
 * destination is closed {@code delay} ms later. Default 0.
 *
 * @param delay milliseconds between the source's end of stream and closing the destination
 */
record SlowCloseToxic(long delay) implements Toxic {

    static SlowCloseToxic from(Attributes attributes) {
        return new SlowCloseToxic(attributes.get("delay"));
    }

    @Override
    public ToxicType type() {
        return ToxicType.SLOW_CLOSE;
    }

    @Override
    public Map<String, Long> attributes() {
        return Attributes.ordered("delay", delay);
    }

    @Override
    public ToxicStage<?> newStage(long now) {
        return new Stage(this);
    }

    private static final class Stage extends ToxicStage<SlowCloseToxic> {

        Stage(SlowCloseToxic config) {
            super(config);
        }

        @Override
        long releaseAt(long earliest, Chunk head) {
            return head.isEnd() ? Math.max(earliest, head.readAt() + millis(config().delay())) : earliest;
        }
    }
}
