package dev.bulwark.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.toxiproxy.ApiCalls.Reply;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /populate}: all entries validated first, identical proxies kept, others replaced, no half-applied state. */
class PopulateIT {

    @RegisterExtension
    static final EmbeddedToxiproxy toxiproxy = new EmbeddedToxiproxy();

    private ApiCalls api;
    private TestServer upstream;

    @BeforeEach
    void useServer() {
        api = toxiproxy.api();
        upstream = toxiproxy.echo();
    }

    private String entry(String name, String listen) {
        return "{\"name\":\"" + name + "\",\"listen\":\"" + listen + "\",\"upstream\":\"" + upstream.address() + "\"}";
    }

    @Test
    void shouldCreateEveryProxyAndAnswer201() {
        Reply reply = api.post("/populate", "[" + entry("redis", "127.0.0.1:0") + ","
                + "{\"name\":\"database\",\"upstream\":\"" + upstream.address() + "\",\"enabled\":false}]");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.json().get("proxies")).hasSize(2);
        assertThat(reply.json().get("proxies").get(0).get("name").asText()).isEqualTo("redis");
        assertThat(reply.json().get("proxies").get(1).get("enabled").asBoolean()).isFalse();
        assertThat(api.get("/proxies").json().size()).isEqualTo(2);
    }

    @Test
    void shouldValidateEveryEntryBeforeCreatingAny() {
        Reply reply = api.post("/populate", "[" + entry("redis", "127.0.0.1:0") + ",{\"upstream\":\"127.0.0.1:1\"}]");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("missing required field: name at proxy 2");
        assertThat(api.get("/proxies").body()).isEqualTo("{}");
    }

    @Test
    void shouldKeepAnIdenticalProxyWithItsToxicsAndReplaceADifferentOne() {
        String listen = api.post("/proxies", entry("redis", "127.0.0.1:0")).json().get("listen").asText();
        api.post("/proxies/redis/toxics", "{\"type\":\"latency\"}");
        api.post("/proxies", entry("database", "127.0.0.1:0"));
        api.post("/proxies/database/toxics", "{\"type\":\"latency\"}");

        Reply reply = api.post("/populate", "[" + entry("redis", listen) + ","
                + "{\"name\":\"database\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}]");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(api.get("/proxies/redis/toxics").json()).hasSize(1);
        assertThat(api.get("/proxies/database/toxics").json()).isEmpty();
        assertThat(api.get("/proxies/database").json().get("upstream").asText()).isEqualTo("127.0.0.1:1");
    }

    @Test
    void shouldUndoEverythingWhenAnEntryCannotListen() {
        String taken = api.post("/proxies", entry("occupant", "127.0.0.1:0")).json().get("listen").asText();

        Reply reply = api.post("/populate", "[" + entry("redis", "127.0.0.1:0") + "," + entry("database", taken) + "]");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.json().get("status").asInt()).isEqualTo(500);
        assertThat(api.get("/proxies/redis").status()).isEqualTo(404);
        assertThat(api.get("/proxies/occupant").status()).isEqualTo(200);
    }

    @Test
    void shouldRejectABodyThatIsNotAnArray() {
        Reply reply = api.post("/populate", entry("redis", "127.0.0.1:0"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).startsWith("bad request body: ");
    }
}
