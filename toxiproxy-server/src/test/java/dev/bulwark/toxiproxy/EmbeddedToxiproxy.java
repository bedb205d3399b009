package dev.bulwark.toxiproxy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.Socket;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension for the server tests: one embedded server, the official client and a raw HTTP
 * caller for it, and an echo server to proxy to, per test class; every proxy is deleted after each
 * test so no test sees another's proxies or toxics.
 *
 * <pre>{@code @RegisterExtension static final EmbeddedToxiproxy toxiproxy = new EmbeddedToxiproxy();}</pre>
 */
final class EmbeddedToxiproxy implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private ToxiproxyServer server;
    private ToxiproxyClient client;
    private ApiCalls api;
    private TestServer echo;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        server = ToxiproxyServer.startOnFreePort();
        client = new ToxiproxyClient(server.host(), server.port());
        api = new ApiCalls(server.baseUrl());
        echo = TestServer.echo();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        for (Proxy proxy : client.getProxies()) {
            proxy.delete();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        server.close();
        echo.close();
    }

    ToxiproxyServer server() {
        return server;
    }

    ToxiproxyClient client() {
        return client;
    }

    ApiCalls api() {
        return api;
    }

    TestServer echo() {
        return echo;
    }

    /** A proxy on a free loopback port in front of {@code upstream}. */
    Proxy createProxy(String name, TestServer upstream) throws IOException {
        return client.createProxy(name, "127.0.0.1:0", upstream.address());
    }

    /** A client socket connected to the proxy's listen address. */
    static Socket connect(Proxy proxy) throws IOException {
        return Sockets.connect(Sockets.portOf(proxy.getListen()));
    }
}
