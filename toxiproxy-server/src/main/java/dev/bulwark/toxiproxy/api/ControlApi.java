package dev.bulwark.toxiproxy.api;

import static dev.bulwark.toxiproxy.api.HttpRequests.body;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.bulwark.toxiproxy.stream.Proxy;
import dev.bulwark.toxiproxy.stream.ProxyRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Toxiproxy HTTP control API: routes each request to the {@link ProxyRegistry} and writes the
 * reply as JSON. Every failure, including unknown paths (404), wrong methods (405), oversized bodies
 * (413) and unexpected exceptions (500), is answered with {@code {"error": ..., "status": ...}}.
 * The request Content-Type is never checked: the Java client sends JSON as a form. Requests from
 * browsers are refused with 403, as in Go, so a web page cannot drive a local chaos server.
 * Thread-safe: holds no request state.
 */
public final class ControlApi implements HttpHandler {

    /** Largest request body accepted; a larger one gets 413. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);

    private record Reply(int status, Object body) {
        static Reply ok(Object body) {
            return new Reply(200, body);
        }

        static Reply created(Object body) {
            return new Reply(201, body);
        }

        static Reply noContent() {
            return new Reply(204, null);
        }

        static Reply error(ApiError error) {
            return new Reply(error.status(), new ErrorJson(error.getMessage(), error.status()));
        }
    }

    @FunctionalInterface
    private interface Handler {
        Reply handle(HttpExchange exchange);
    }

    private final ProxyRegistry registry;
    private final JsonCodec json;

    public ControlApi(ProxyRegistry registry, JsonCodec json) {
        this.registry = registry;
        this.json = json;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try (exchange) {
            send(exchange, dispatch(exchange));
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
        }
    }

    private Reply dispatch(HttpExchange exchange) {
        try {
            String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
            if (userAgent != null && userAgent.startsWith("Mozilla/")) {
                throw new ApiError(403, "User agent not allowed");
            }
            Map<String, Handler> methods = routes(HttpRequests.segments(exchange.getRequestURI().getRawPath()));
            if (methods == null) {
                throw new ApiError(404, "not found: " + exchange.getRequestURI().getRawPath());
            }
            Handler handler = methods.get(exchange.getRequestMethod());
            if (handler == null) {
                exchange.getResponseHeaders().set("Allow", String.join(", ", new TreeSet<>(methods.keySet())));
                throw new ApiError(405, "method not allowed: " + exchange.getRequestMethod());
            }
            return handler.handle(exchange);
        } catch (ApiError e) {
            return Reply.error(e);
        } catch (UncheckedIOException e) {
            // The body could not be read, usually because the client went away; it may not see this.
            LOG.debug("{} {}: cannot read the body: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            return Reply.error(ApiError.badRequestBody(String.valueOf(e.getCause().getMessage())));
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            return Reply.error(new ApiError(500, "internal error: " + e));
        }
    }

    private Map<String, Handler> routes(List<String> path) {
        if (path.size() == 1) {
            return switch (path.get(0)) {
                case "version" -> Map.of("GET", exchange -> Reply.ok(new VersionJson(VersionJson.COMPATIBLE_VERSION)));
                case "reset" -> Map.of("POST", exchange -> reset());
                case "populate" -> Map.of("POST", exchange ->
                        Reply.created(new PopulateJson(registry.populate(json.readProxies(body(exchange))))));
                case "proxies" -> Map.of(
                        "GET", exchange -> Reply.ok(registry.list()),
                        "POST", exchange -> Reply.created(registry.create(json.readProxy(body(exchange)))));
                default -> null;
            };
        }
        if (path.size() < 2 || path.size() > 4 || !path.get(0).equals("proxies")) {
            return null;
        }
        String proxy = path.get(1);
        if (path.size() == 2) {
            return proxyRoutes(proxy);
        }
        if (!path.get(2).equals("toxics")) {
            return null;
        }
        return path.size() == 3 ? toxicListRoutes(proxy) : toxicRoutes(proxy, path.get(3));
    }

    private Reply reset() {
        registry.reset();
        return Reply.noContent();
    }

    private Map<String, Handler> proxyRoutes(String name) {
        Handler update = exchange -> {
            Proxy proxy = registry.get(name);
            proxy.update(json.readProxy(body(exchange)));
            return Reply.ok(proxy.toJson());
        };
        return Map.of(
                "GET", exchange -> Reply.ok(registry.get(name).toJson()),
                "POST", update,
                "PATCH", update,
                "DELETE", exchange -> {
                    registry.delete(name);
                    return Reply.noContent();
                });
    }

    private Map<String, Handler> toxicListRoutes(String proxyName) {
        return Map.of(
                "GET", exchange -> Reply.ok(registry.get(proxyName).toxicsJson()),
                "POST", exchange -> {
                    Proxy proxy = registry.get(proxyName);
                    return Reply.ok(proxy.addToxic(json.readToxic(body(exchange))));
                });
    }

    private Map<String, Handler> toxicRoutes(String proxyName, String toxicName) {
        Handler update = exchange -> {
            Proxy proxy = registry.get(proxyName);
            proxy.toxic(toxicName);
            return Reply.ok(proxy.updateToxic(toxicName, json.readToxic(body(exchange))));
        };
        return Map.of(
                "GET", exchange -> Reply.ok(registry.get(proxyName).toxic(toxicName)),
                "POST", update,
                "PATCH", update,
                "DELETE", exchange -> {
                    registry.get(proxyName).removeToxic(toxicName);
                    return Reply.noContent();
                });
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        if (reply.body() == null) {
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        byte[] bytes = json.write(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
