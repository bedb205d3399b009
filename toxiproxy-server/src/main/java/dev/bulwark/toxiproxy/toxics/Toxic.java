package dev.bulwark.toxiproxy.toxics;

import java.util.Map;

/**
 * The configured attributes of one toxic type. Implementations are immutable records, so a
 * toxic update replaces the value rather than mutating it; thread-safe.
 *
 * <p>The per-connection behaviour lives in the {@link ToxicStage} each toxic creates for every link
 * it is applied to.
 */
sealed interface Toxic permits LatencyToxic, BandwidthToxic, SlowCloseToxic, TimeoutToxic,
        ResetPeerToxic, SlicerToxic, LimitDataToxic {

    /** The type, which names this toxic on the wire. */
    ToxicType type();

    /** Every attribute of the type in wire order, zeros included: the Java client reads them all. */
    Map<String, Long> attributes();

    /**
     * A fresh state for one direction of one connection.
     *
     * @param now {@link System#nanoTime()} at which the toxic starts acting on that link
     */
    ToxicStage<?> newStage(long now);
}
