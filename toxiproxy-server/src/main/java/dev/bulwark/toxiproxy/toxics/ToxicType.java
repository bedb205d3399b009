package dev.bulwark.toxiproxy.toxics;

import dev.bulwark.toxiproxy.api.ApiError;
import java.util.Map;
import java.util.function.Function;

/**
 * The toxic types the server knows, by wire name, with the factory that builds each from its
 * attributes. Creating starts from all-zero attributes; updating merges the given attributes onto
 * the current ones, as the Go server does.
 */
enum ToxicType {
    LATENCY("latency", LatencyToxic::from),
    BANDWIDTH("bandwidth", BandwidthToxic::from),
    SLOW_CLOSE("slow_close", SlowCloseToxic::from),
    TIMEOUT("timeout", TimeoutToxic::from),
    RESET_PEER("reset_peer", ResetPeerToxic::from),
    SLICER("slicer", SlicerToxic::from),
    LIMIT_DATA("limit_data", LimitDataToxic::from);

    private final String wireName;
    private final Function<Attributes, Toxic> factory;

    ToxicType(String wireName, Function<Attributes, Toxic> factory) {
        this.wireName = wireName;
        this.factory = factory;
    }

    String wireName() {
        return wireName;
    }

    /** @throws ApiError 400 "invalid toxic type" for an unknown or missing name */
    static ToxicType fromWireName(String name) {
        for (ToxicType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        throw ApiError.invalidToxicType();
    }

    /** @throws ApiError 400 for an invalid attribute value */
    Toxic create(Map<String, Long> attributes) {
        return factory.apply(new Attributes(attributes));
    }

    /** @throws ApiError 400 for an invalid attribute value; {@code current} is left as it was */
    Toxic update(Toxic current, Map<String, Long> patch) {
        return factory.apply(new Attributes(current.attributes()).overlaid(patch));
    }
}
