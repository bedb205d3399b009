package dev.bulwark.toxiproxy.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * Wire type: the body of {@code POST /proxies/{p}/toxics} (create) and of a toxic update. On create
 * the defaults are stream {@code downstream}, toxicity 1.0, name {@code <type>_<stream>} and 0 for
 * every attribute; on update only {@code attributes} (merged) and {@code toxicity} are read.
 *
 * @param name       toxic name, unique across both streams of a proxy
 * @param type       one of the toxic type wire names (latency, bandwidth, ...)
 * @param stream     {@code upstream} or {@code downstream}, any case
 * @param toxicity   probability in [0, 1] that the toxic acts on a given link
 * @param attributes integer attributes of the type
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ToxicRequest(String name, String type, String stream, Float toxicity, Map<String, Long> attributes) {
}
