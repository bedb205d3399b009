package dev.bulwark.toxiproxy.toxics;

import dev.bulwark.toxiproxy.api.ApiError;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code slicer}: splits data into pieces of {@code average_size} ± {@code size_variation} bytes,
 * written {@code delay} microseconds apart. {@code average_size} must be greater than 0 (Go's own
 * server loops forever on 0, so it is rejected here); the others default to 0.
 *
 * @param averageSize   mean piece size in bytes
 * @param sizeVariation maximum deviation from the mean in bytes
 * @param delay         pause between pieces in microseconds
 */
record SlicerToxic(long averageSize, long sizeVariation, long delay) implements Toxic {

    SlicerToxic {
        if (averageSize <= 0) {
            throw ApiError.badRequestBody("attribute average_size must be greater than 0, got " + averageSize);
        }
    }

    static SlicerToxic from(Attributes attributes) {
        return new SlicerToxic(attributes.get("average_size"), attributes.get("size_variation"),
                attributes.get("delay"));
    }

    @Override
    public ToxicType type() {
        return ToxicType.SLICER;
    }

    @Override
    public Map<String, Long> attributes() {
        return Attributes.ordered("average_size", averageSize, "size_variation", sizeVariation, "delay", delay);
    }

    @Override
    public ToxicStage<?> newStage(long now) {
        return new Stage(this);
    }

    private static final class Stage extends ToxicStage<SlicerToxic> {

        private long nextFree;
        private int pieceSize;

        Stage(SlicerToxic config) {
            super(config);
            this.pieceSize = samplePieceSize();
        }

        @Override
        void onReconfigured(long now) {
            pieceSize = samplePieceSize();
        }

        @Override
        long releaseAt(long earliest, Chunk head) {
            return head.isEnd() ? earliest : Math.max(earliest, nextFree);
        }

        @Override
        int maxPiece() {
            return pieceSize;
        }

        @Override
        void onWritten(int bytes, long now) {
            nextFree = now + config().delay() * 1_000L;
            pieceSize = samplePieceSize();
        }

        private int samplePieceSize() {
            long variation = config().sizeVariation();
            long offset = variation > 0 ? ThreadLocalRandom.current().nextLong(-variation, variation + 1) : 0;
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, config().averageSize() + offset));
        }
    }
}
