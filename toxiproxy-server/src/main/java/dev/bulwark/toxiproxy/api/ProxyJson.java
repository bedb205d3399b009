package dev.bulwark.toxiproxy.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Wire type: a proxy as the control API returns it.
 *
 * @param name     proxy name
 * @param listen   listen address; the bound port once listening (never {@code :0})
 * @param upstream upstream address as given
 * @param enabled  whether the proxy is configured to listen
 * @param toxics   upstream toxics first, then downstream, each in insertion order
 */
@JsonPropertyOrder({"name", "listen", "upstream", "enabled", "toxics"})
public record ProxyJson(String name, String listen, String upstream, boolean enabled, List<ToxicJson> toxics) {
}
