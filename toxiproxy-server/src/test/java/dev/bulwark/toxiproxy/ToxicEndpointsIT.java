package dev.bulwark.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.toxiproxy.ApiCalls.Reply;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The toxic endpoints: defaults, validation, ordering, the merge on update, and their error texts. */
class ToxicEndpointsIT {

    @RegisterExtension
    static final EmbeddedToxiproxy toxiproxy = new EmbeddedToxiproxy();

    private ApiCalls api;

    @BeforeEach
    void createProxy() {
        api = toxiproxy.api();
        api.post("/proxies", "{\"name\":\"redis\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}");
    }

    private Reply addToxic(String json) {
        return api.post("/proxies/redis/toxics", json);
    }

    @Test
    void shouldCreateWithDefaultsAnd200() {
        Reply reply = addToxic("{\"type\":\"latency\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"attributes\":{\"latency\":0,\"jitter\":0},"
                + "\"name\":\"latency_downstream\",\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":1}");
    }

    @Test
    void shouldIncludeEveryAttributeOfTheType() {
        Reply reply = addToxic("{\"type\":\"slicer\",\"stream\":\"UpStream\",\"toxicity\":0.5,"
                + "\"attributes\":{\"average_size\":10,\"unknown\":1}}");

        assertThat(reply.body()).isEqualTo("{\"attributes\":{\"average_size\":10,\"size_variation\":0,\"delay\":0},"
                + "\"name\":\"slicer_upstream\",\"type\":\"slicer\",\"stream\":\"upstream\",\"toxicity\":0.5}");
    }

    @Test
    void shouldListUpstreamToxicsFirstThenDownstreamInInsertionOrder() {
        addToxic("{\"name\":\"d1\",\"type\":\"latency\"}");
        addToxic("{\"name\":\"u1\",\"type\":\"latency\",\"stream\":\"upstream\"}");
        addToxic("{\"name\":\"d2\",\"type\":\"timeout\"}");
        addToxic("{\"name\":\"u2\",\"type\":\"bandwidth\",\"stream\":\"upstream\"}");

        Reply reply = api.get("/proxies/redis/toxics");

        assertThat(reply.json().findValuesAsText("name")).containsExactly("u1", "u2", "d1", "d2");
        assertThat(api.get("/proxies/redis").json().get("toxics").findValuesAsText("name"))
                .containsExactly("u1", "u2", "d1", "d2");
    }

    @Test
    void shouldRejectInvalidToxicsWithGoMessages() {
        assertThat(addToxic("{\"type\":\"latency\",\"stream\":\"sideways\"}").error())
                .isEqualTo("stream was invalid, can be either upstream or downstream");
        assertThat(addToxic("{\"type\":\"teleport\"}").error()).isEqualTo("invalid toxic type");
        assertThat(addToxic("{\"stream\":\"upstream\"}").error()).isEqualTo("invalid toxic type");
        addToxic("{\"name\":\"taken\",\"type\":\"latency\"}");
        Reply duplicate = addToxic("{\"name\":\"taken\",\"type\":\"timeout\",\"stream\":\"upstream\"}");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.error()).isEqualTo("toxic already exists");
    }

    @Test
    void shouldRejectInvalidAttributesAndLeaveNothingBehind() {
        Reply zeroSlice = addToxic("{\"type\":\"slicer\",\"attributes\":{\"average_size\":0}}");
        Reply negative = addToxic("{\"type\":\"latency\",\"attributes\":{\"latency\":-5}}");
        Reply fraction = addToxic("{\"type\":\"latency\",\"attributes\":{\"latency\":1.5}}");
        Reply text = addToxic("{\"type\":\"latency\",\"attributes\":{\"latency\":\"100\"}}");
        Reply toxicity = addToxic("{\"type\":\"latency\",\"toxicity\":2}");

        for (Reply reply : new Reply[] {zeroSlice, negative, fraction, text, toxicity}) {
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.error()).startsWith("bad request body: ");
        }
        assertThat(zeroSlice.error()).contains("average_size");
        assertThat(api.get("/proxies/redis/toxics").body()).isEqualTo("[]");
    }

    @Test
    void shouldMergeAttributesOnUpdateWithPostOrPatch() {
        addToxic("{\"name\":\"slow\",\"type\":\"latency\",\"attributes\":{\"latency\":100,\"jitter\":10}}");

        Reply patched = api.patch("/proxies/redis/toxics/slow", "{\"attributes\":{\"jitter\":20}}");
        Reply posted = api.post("/proxies/redis/toxics/slow", "{\"toxicity\":0.25,\"name\":\"ignored\"}");

        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("attributes").get("latency").asLong()).isEqualTo(100);
        assertThat(patched.json().get("attributes").get("jitter").asLong()).isEqualTo(20);
        assertThat(posted.json().get("name").asText()).isEqualTo("slow");
        assertThat(posted.json().get("toxicity").asDouble()).isEqualTo(0.25);
        assertThat(posted.json().get("attributes").get("jitter").asLong()).isEqualTo(20);
    }

    @Test
    void shouldLeaveAToxicUnchangedWhenAnUpdateIsInvalid() {
        addToxic("{\"name\":\"slices\",\"type\":\"slicer\",\"attributes\":{\"average_size\":10}}");

        Reply reply = api.patch("/proxies/redis/toxics/slices", "{\"attributes\":{\"average_size\":0}}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(api.get("/proxies/redis/toxics/slices").json().get("attributes").get("average_size").asLong())
                .isEqualTo(10);
    }

    @Test
    void shouldReportMissingProxiesAndToxics() {
        assertThat(api.get("/proxies/missing/toxics").error()).isEqualTo("proxy not found");
        assertThat(api.post("/proxies/missing/toxics", "{\"type\":\"latency\"}").error()).isEqualTo("proxy not found");
        assertThat(api.get("/proxies/redis/toxics/missing").error()).isEqualTo("toxic not found");
        assertThat(api.patch("/proxies/redis/toxics/missing", "{}").status()).isEqualTo(404);
        Reply delete = api.delete("/proxies/redis/toxics/missing");
        assertThat(delete.status()).isEqualTo(404);
        assertThat(delete.error()).isEqualTo("toxic not found");
    }

    @Test
    void shouldDeleteAToxicWith204() {
        addToxic("{\"type\":\"timeout\"}");

        Reply reply = api.delete("/proxies/redis/toxics/timeout_downstream");

        assertThat(reply.status()).isEqualTo(204);
        assertThat(api.get("/proxies/redis/toxics").body()).isEqualTo("[]");
    }
}
