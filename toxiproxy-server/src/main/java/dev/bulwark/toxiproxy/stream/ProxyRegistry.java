package dev.bulwark.toxiproxy.stream;

import dev.bulwark.toxiproxy.api.ApiError;
import dev.bulwark.toxiproxy.api.ProxyJson;
import dev.bulwark.toxiproxy.api.ProxyRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All proxies, by name, sorted (so {@code GET /proxies} lists them in key order). Creating,
 * deleting, populating and resetting are atomic with respect to each other, and a failure leaves the
 * registry as it was: a proxy whose address cannot be bound is not added, and {@link #populate}
 * either applies every entry or none. Thread-safe: guarded by this object; a proxy's own lock is
 * always taken after this one.
 */
public final class ProxyRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyRegistry.class);

    private final TreeMap<String, Proxy> proxies = new TreeMap<>();

    public synchronized Map<String, ProxyJson> list() {
        Map<String, ProxyJson> list = new LinkedHashMap<>();
        proxies.forEach((name, proxy) -> list.put(name, proxy.toJson()));
        return list;
    }

    /** @throws ApiError 404 "proxy not found" */
    public synchronized Proxy get(String name) {
        Proxy proxy = proxies.get(name);
        if (proxy == null) {
            throw ApiError.proxyNotFound();
        }
        return proxy;
    }

    /** @throws ApiError 400 for a missing field, 409 for a taken name, 500 when it cannot listen */
    public synchronized ProxyJson create(ProxyRequest request) {
        request.requireNameAndUpstream("");
        if (proxies.containsKey(request.name())) {
            throw ApiError.proxyAlreadyExists();
        }
        Proxy proxy = Proxy.from(request);
        if (proxy.isEnabled()) {
            proxy.startListening();
        }
        proxies.put(proxy.name(), proxy);
        return proxy.toJson();
    }

    /** Stops the proxy, closing its connections, and forgets it. @throws ApiError 404 */
    public synchronized void delete(String name) {
        get(name).stopListening();
        proxies.remove(name);
    }

    /**
     * Creates, keeps or replaces each proxy in order: one with the same name, listen and upstream is
     * kept as it is; one that differs is replaced. Every entry is validated before anything changes,
     * and if one cannot listen, what this call already did is undone.
     *
     * @throws ApiError 400 naming the first invalid entry, or 500 when one cannot listen
     */
    public synchronized List<ProxyJson> populate(List<ProxyRequest> requests) {
        for (int i = 0; i < requests.size(); i++) {
            requests.get(i).requireNameAndUpstream(" at proxy " + (i + 1));
        }
        Deque<Runnable> undo = new ArrayDeque<>();
        List<Proxy> result = new ArrayList<>();
        try {
            for (ProxyRequest request : requests) {
                result.add(apply(request, undo));
            }
        } catch (ApiError e) {
            for (Runnable step : undo) {
                try {
                    step.run();
                } catch (ApiError undoFailure) {
                    LOG.warn("populate failed ({}) and could not be fully undone: {}", e.getMessage(),
                            undoFailure.getMessage());
                }
            }
            throw e;
        }
        return result.stream().map(Proxy::toJson).toList();
    }

    private Proxy apply(ProxyRequest request, Deque<Runnable> undo) {
        Proxy existing = proxies.get(request.name());
        if (existing != null && existing.sameEndpoints(request)) {
            return existing;
        }
        if (existing != null) {
            existing.stopListening();
            undo.push(() -> {
                proxies.put(existing.name(), existing);
                if (existing.isEnabled()) {
                    existing.startListening();
                }
            });
        }
        Proxy proxy = Proxy.from(request);
        if (proxy.isEnabled()) {
            proxy.startListening();
        }
        proxies.put(proxy.name(), proxy);
        undo.push(() -> {
            proxy.stopListening();
            proxies.remove(proxy.name());
        });
        return proxy;
    }

    /**
     * Re-enables every proxy and removes every toxic; proxies are kept.
     *
     * @throws ApiError 500 when a disabled proxy cannot listen again
     */
    public synchronized void reset() {
        for (Proxy proxy : proxies.values()) {
            proxy.update(new ProxyRequest(null, null, null, true));
            proxy.removeAllToxics();
        }
    }

    /** Stops every proxy; used when the server shuts down. */
    public synchronized void closeAll() {
        proxies.values().forEach(Proxy::stopListening);
        proxies.clear();
    }
}
