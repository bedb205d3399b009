package dev.bulwark.toxiproxy.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Request bodies are read as strictly as Go reads them, and every failure is a 400 that says why. */
class JsonCodecTest {

    private final JsonCodec json = new JsonCodec();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldIgnoreUnknownFields() {
        ProxyRequest request = json.readProxy(bytes("{\"name\":\"redis\",\"upstream\":\"h:1\",\"extra\":{\"a\":1}}"));

        assertThat(request).isEqualTo(new ProxyRequest("redis", null, "h:1", null));
    }

    @Test
    void shouldRejectProxyFieldsOfTheWrongType() {
        for (String body : new String[] {"{\"name\": 5}", "{\"enabled\": \"true\"}", "{\"enabled\": 1}"}) {
            assertThatThrownBy(() -> json.readProxy(bytes(body)))
                    .as(body)
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400))
                    .hasMessageStartingWith("bad request body: ");
        }
    }

    @Test
    void shouldRejectToxicFieldsOfTheWrongType() {
        for (String body : new String[] {
            "{\"type\":\"latency\",\"attributes\":{\"latency\":\"5\"}}",
            "{\"type\":\"latency\",\"attributes\":{\"latency\":2.5}}",
            "{\"type\":\"latency\",\"toxicity\":\"1\"}",
            "{\"type\":7}"}) {
            assertThatThrownBy(() -> json.readToxic(bytes(body)))
                    .as(body)
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400))
                    .hasMessageStartingWith("bad request body: ");
        }
    }

    @Test
    void shouldReportMalformedAndEmptyBodies() {
        assertThatThrownBy(() -> json.readProxy(bytes("{\"name\":"))).hasMessageStartingWith("bad request body: ");
        assertThatThrownBy(() -> json.readProxy(bytes(" \n"))).hasMessage("bad request body: EOF");
        assertThatThrownBy(() -> json.readProxy(bytes("null"))).hasMessageStartingWith("bad request body: ");
        assertThatThrownBy(() -> json.readProxies(bytes("[null]"))).hasMessageStartingWith("bad request body: ");
    }

    @Test
    void shouldWriteWholeToxicitiesWithoutAFraction() {
        String one = new String(json.write(new ToxicJson(java.util.Map.of(), "n", "t", "s", 1.0f)), StandardCharsets.UTF_8);
        String tenth = new String(json.write(new ToxicJson(java.util.Map.of(), "n", "t", "s", 0.1f)), StandardCharsets.UTF_8);

        assertThat(one).endsWith("\"toxicity\":1}");
        assertThat(tenth).endsWith("\"toxicity\":0.1}");
    }
}
