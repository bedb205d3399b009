package dev.bulwark.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.toxiproxy.ApiCalls.Reply;
import dev.bulwark.toxiproxy.api.ControlApi;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The proxy, populate, reset and error contract of the control API, status code by status code. */
class ProxyEndpointsIT {

    @RegisterExtension
    static final EmbeddedToxiproxy toxiproxy = new EmbeddedToxiproxy();

    private ApiCalls api;
    private TestServer upstream;

    @BeforeEach
    void useServer() {
        api = toxiproxy.api();
        upstream = toxiproxy.echo();
    }

    private Reply create(String name, String listen) {
        return api.post("/proxies", "{\"name\":\"" + name + "\",\"listen\":\"" + listen + "\",\"upstream\":\""
                + upstream.address() + "\"}");
    }

    @Test
    void shouldListNoProxiesAsAnEmptyObject() {
        Reply reply = api.get("/proxies");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{}");
    }

    @Test
    void shouldCreateWithDefaultsAndReportTheBoundPort() {
        Reply reply = api.post("/proxies", "{\"name\":\"redis\",\"upstream\":\"" + upstream.address()
                + "\",\"unknown\":42}");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.json().get("name").asText()).isEqualTo("redis");
        assertThat(reply.json().get("listen").asText()).matches("127\\.0\\.0\\.1:[1-9][0-9]*");
        assertThat(reply.json().get("enabled").asBoolean()).isTrue();
        assertThat(reply.json().get("toxics").isArray()).isTrue();
        assertThat(reply.body()).startsWith("{\"name\":\"redis\",\"listen\":");
    }

    @Test
    void shouldReportLocalhostAsTheLoopbackAddress() {
        Reply reply = create("redis", "localhost:0");

        assertThat(reply.json().get("listen").asText()).startsWith("127.0.0.1:").doesNotEndWith(":0");
    }

    @Test
    void shouldListProxiesSortedByNameIncludingColons() {
        create("redis:6379", "127.0.0.1:0");
        create("database", "127.0.0.1:0");
        create("cache", "127.0.0.1:0");

        List<String> names = new ArrayList<>();
        api.get("/proxies").json().fieldNames().forEachRemaining(names::add);

        assertThat(names).containsExactly("cache", "database", "redis:6379");
        assertThat(api.get("/proxies/redis:6379").json().get("name").asText()).isEqualTo("redis:6379");
        assertThat(api.get("/proxies/redis%3A6379").status()).isEqualTo(200);
    }

    @Test
    void shouldRequireNameThenUpstream() {
        assertThat(api.post("/proxies", "{\"upstream\":\"127.0.0.1:1\"}").error())
                .isEqualTo("missing required field: name");
        assertThat(api.post("/proxies", "{\"name\":\"redis\"}").error())
                .isEqualTo("missing required field: upstream");
        assertThat(api.post("/proxies", "{\"name\":\"redis\"}").status()).isEqualTo(400);
    }

    @Test
    void shouldAnswerBadBodiesWithJsonErrors() {
        Reply malformed = api.post("/proxies", "{\"name\": ");
        Reply empty = api.post("/proxies", "");
        Reply wrongType = api.post("/proxies", "{\"name\": 5, \"upstream\": \"127.0.0.1:1\"}");
        Reply array = api.post("/proxies", "[]");

        for (Reply reply : List.of(malformed, empty, wrongType, array)) {
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.json().get("status").asInt()).isEqualTo(400);
            assertThat(reply.error()).startsWith("bad request body: ");
        }
        assertThat(empty.error()).isEqualTo("bad request body: EOF");
        assertThat(api.get("/proxies").body()).isEqualTo("{}");
    }

    @Test
    void shouldRefuseAnOversizedBodyWith413() {
        String huge = "{\"name\":\"" + "x".repeat(ControlApi.MAX_BODY_BYTES) + "\"}";

        Reply reply = api.post("/proxies", huge);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().get("status").asInt()).isEqualTo(413);
        assertThat(reply.error()).contains("too large");
    }

    @Test
    void shouldAnswerUnknownPathsAndMethodsWithJson() {
        Reply unknown = api.get("/nope");
        Reply tooDeep = api.get("/proxies/a/toxics/b/c");
        Reply wrongMethod = api.delete("/version");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("status").asInt()).isEqualTo(404);
        assertThat(tooDeep.status()).isEqualTo(404);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.error()).contains("method not allowed");
        assertThat(api.get("/proxies/missing").error()).isEqualTo("proxy not found");
        assertThat(api.delete("/proxies/missing").status()).isEqualTo(404);
    }

    @Test
    void shouldRefuseBrowsers() {
        Reply reply = api.send(HttpRequest.newBuilder(URI.create(toxiproxy.server().baseUrl() + "/proxies"))
                .header("User-Agent", "Mozilla/5.0").GET());

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error()).isEqualTo("User agent not allowed");
    }

    @Test
    void shouldAnswer500AndAddNothingWhenTheAddressIsTaken() {
        String taken = create("first", "127.0.0.1:0").json().get("listen").asText();

        Reply reply = create("second", taken);

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.error()).startsWith("listen tcp " + taken);
        assertThat(api.get("/proxies/second").status()).isEqualTo(404);
    }

    @Test
    void shouldRebindTheSamePortRightAfterDeleteAndDisable() {
        String listen = create("first", "127.0.0.1:0").json().get("listen").asText();
        api.delete("/proxies/first");

        assertThat(create("second", listen).status()).isEqualTo(201);
        assertThat(api.post("/proxies/second", "{\"enabled\":false}").json().get("enabled").asBoolean()).isFalse();
        Reply enabled = api.patch("/proxies/second", "{\"enabled\":true}");
        assertThat(enabled.status()).isEqualTo(200);
        assertThat(enabled.json().get("listen").asText()).isEqualTo(listen);
    }

    @Test
    void shouldKeepAbsentFieldsOnUpdate() {
        create("redis", "127.0.0.1:0");

        Reply reply = api.patch("/proxies/redis", "{\"upstream\":\"127.0.0.1:1\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("upstream").asText()).isEqualTo("127.0.0.1:1");
        assertThat(reply.json().get("enabled").asBoolean()).isTrue();
        assertThat(api.patch("/proxies/missing", "{}").status()).isEqualTo(404);
    }

    @Test
    void shouldCreateADisabledProxyThatRefusesConnections() {
        Reply reply = api.post("/proxies", "{\"name\":\"redis\",\"listen\":\"127.0.0.1:0\",\"upstream\":\""
                + upstream.address() + "\",\"enabled\":false}");
        String listen = api.patch("/proxies/redis", "{\"enabled\":true}").json().get("listen").asText();
        api.patch("/proxies/redis", "{\"enabled\":false}");

        assertThat(reply.json().get("enabled").asBoolean()).isFalse();
        assertThatThrownBy(() -> Sockets.connect(Sockets.portOf(listen))).isInstanceOf(ConnectException.class);
    }

    @Test
    void shouldResetWithoutABody() {
        create("redis", "127.0.0.1:0");
        api.patch("/proxies/redis", "{\"enabled\":false}");
        api.post("/proxies/redis/toxics", "{\"type\":\"latency\"}");

        Reply reply = api.post("/reset", null);

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.body()).isEmpty();
        assertThat(api.get("/proxies/redis").json().get("enabled").asBoolean()).isTrue();
        assertThat(api.get("/proxies/redis/toxics").body()).isEqualTo("[]");
    }
}
