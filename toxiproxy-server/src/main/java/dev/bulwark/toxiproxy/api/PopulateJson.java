package dev.bulwark.toxiproxy.api;

import java.util.List;

/**
 * Wire type: the reply to {@code POST /populate}.
 *
 * @param proxies the proxies created, kept or replaced, in request order
 */
record PopulateJson(List<ProxyJson> proxies) {
}
