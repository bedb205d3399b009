package dev.bulwark.toxiproxy.toxics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.toxiproxy.api.ApiError;
import dev.bulwark.toxiproxy.api.JsonCodec;
import dev.bulwark.toxiproxy.api.ToxicRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Creating, validating, updating and rendering toxics as the Go server does. */
class ToxicSpecTest {

    private final JsonCodec json = new JsonCodec();

    private static ToxicSpec create(ToxicRequest request) {
        return ToxicSpec.create(request, name -> name.equals("taken"));
    }

    private String render(ToxicSpec spec) {
        return new String(json.write(spec.toJson()), StandardCharsets.UTF_8);
    }

    @Test
    void shouldDefaultToDownstreamFullToxicityAndTypeStreamName() {
        ToxicSpec spec = create(new ToxicRequest(null, "bandwidth", null, null, null));

        assertThat(render(spec)).isEqualTo("{\"attributes\":{\"rate\":0},\"name\":\"bandwidth_downstream\","
                + "\"type\":\"bandwidth\",\"stream\":\"downstream\",\"toxicity\":1}");
    }

    @Test
    void shouldAcceptAnyCaseForTheStreamAndNameTheDefaultAfterIt() {
        ToxicSpec spec = create(new ToxicRequest("", "timeout", "UPSTREAM", 0.5f, Map.of("timeout", 7L)));

        assertThat(spec.name()).isEqualTo("timeout_upstream");
        assertThat(spec.direction()).isEqualTo(Direction.UPSTREAM);
        assertThat(render(spec)).endsWith("\"stream\":\"upstream\",\"toxicity\":0.5}");
    }

    @Test
    void shouldCheckStreamBeforeTypeBeforeNameBeforeAttributes() {
        assertThatThrownBy(() -> create(new ToxicRequest("taken", "nope", "sideways", null, null)))
                .hasMessage("stream was invalid, can be either upstream or downstream");
        assertThatThrownBy(() -> create(new ToxicRequest("taken", "nope", null, null, null)))
                .hasMessage("invalid toxic type");
        assertThatThrownBy(() -> create(new ToxicRequest("taken", "slicer", null, null, null)))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessage("toxic already exists");
    }

    @Test
    void shouldRejectInvalidValuesWith400() {
        assertThatThrownBy(() -> create(new ToxicRequest(null, "slicer", null, null, Map.of("average_size", 0L))))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith("bad request body: attribute average_size must be greater than 0");
        assertThatThrownBy(() -> create(new ToxicRequest(null, "latency", null, null, Map.of("jitter", -1L))))
                .hasMessageContaining("jitter must not be negative");
        assertThatThrownBy(() -> create(new ToxicRequest(null, "latency", null, 1.5f, null)))
                .hasMessageContaining("toxicity must be between 0 and 1");
    }

    @Test
    void shouldMergeAnUpdateOntoTheCurrentAttributes() {
        ToxicSpec spec = create(new ToxicRequest("s", "slicer", null, null,
                Map.of("average_size", 10L, "size_variation", 2L, "delay", 5L)));

        ToxicSpec updated = spec.updatedBy(new ToxicRequest("ignored", "latency", "upstream", null,
                Map.of("delay", 9L)));

        assertThat(updated.name()).isEqualTo("s");
        assertThat(updated.direction()).isEqualTo(Direction.DOWNSTREAM);
        assertThat(updated.toxic()).isEqualTo(new SlicerToxic(10, 2, 9));
        assertThat(updated.toxicity()).isEqualTo(1.0f);
    }

    @Test
    void shouldLeaveTheSpecUnchangedWhenAnUpdateIsInvalid() {
        ToxicSpec spec = create(new ToxicRequest("s", "slicer", null, null, Map.of("average_size", 10L)));

        assertThatThrownBy(() -> spec.updatedBy(new ToxicRequest(null, null, null, null, Map.of("average_size", 0L))))
                .isInstanceOf(ApiError.class);
        assertThat(spec.toxic()).isEqualTo(new SlicerToxic(10, 0, 0));
    }

    @Test
    void shouldListEveryAttributeOfEveryType() {
        for (ToxicType type : ToxicType.values()) {
            Map<String, Long> given = type == ToxicType.SLICER ? Map.of("average_size", 1L) : Map.of();

            assertThat(type.create(given).attributes()).isNotEmpty().allSatisfy((name, value) -> assertThat(value).isNotNull());
        }
        assertThat(ToxicType.LATENCY.create(Map.of()).attributes()).containsOnlyKeys("latency", "jitter");
        assertThat(ToxicType.SLICER.create(Map.of("average_size", 1L)).attributes())
                .containsOnlyKeys("average_size", "size_variation", "delay");
    }
}
