package dev.bulwark.toxiproxy.toxics;

import java.util.Map;

/**
 * {@code limit_data}: forwards at most {@code bytes} on this link (counted from when the toxic was
 * added), then closes the connection. Default 0.
 *
 * @param bytes how many bytes may pass
 */
record LimitDataToxic(long bytes) implements Toxic {

    static LimitDataToxic from(Attributes attributes) {
        return new LimitDataToxic(attributes.get("bytes"));
    }

    @Override
    public ToxicType type() {
        return ToxicType.LIMIT_DATA;
    }

    @Override
    public Map<String, Long> attributes() {
        return Attributes.ordered("bytes", bytes);
    }

    @Override
    public ToxicStage<?> newStage(long now) {
        return new Stage(this);
    }

    private static final class Stage extends ToxicStage<LimitDataToxic> {

        private long transmitted;

        Stage(LimitDataToxic config) {
            super(config);
        }

        @Override
        int admit(int length, long now) {
            long remaining = Math.max(0, config().bytes() - transmitted);
            int passed = (int) Math.min(length, remaining);
            transmitted += passed;
            return passed;
        }

        @Override
        boolean exhausted() {
            return transmitted >= config().bytes();
        }
    }
}
