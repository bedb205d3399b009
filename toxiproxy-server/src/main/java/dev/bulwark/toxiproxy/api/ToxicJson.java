package dev.bulwark.toxiproxy.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.util.Map;

/**
 * Wire type: a toxic as the control API returns it, with every attribute of its type.
 *
 * @param attributes all attributes of the type, zeros included
 * @param name       toxic name
 * @param type       type wire name
 * @param stream     {@code upstream} or {@code downstream}
 * @param toxicity   written like Go writes a float32: 1.0 as {@code 1}, 0.5 as {@code 0.5}
 */
@JsonPropertyOrder({"attributes", "name", "type", "stream", "toxicity"})
public record ToxicJson(Map<String, Long> attributes, String name, String type, String stream,
                 @JsonSerialize(using = ToxicJson.ShortestFloat.class) float toxicity) {

    /** Writes whole floats without a fraction, others in their shortest decimal form. */
    static final class ShortestFloat extends JsonSerializer<Float> {
        @Override
        public void serialize(Float value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            float f = value;
            if (f == Math.rint(f) && Math.abs(f) < 1e9f) {
                generator.writeNumber((long) f);
            } else {
                generator.writeNumber(f);
            }
        }
    }
}
