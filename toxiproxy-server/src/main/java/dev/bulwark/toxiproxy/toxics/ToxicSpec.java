package dev.bulwark.toxiproxy.toxics;

import dev.bulwark.toxiproxy.api.ApiError;
import dev.bulwark.toxiproxy.api.ToxicJson;
import dev.bulwark.toxiproxy.api.ToxicRequest;
import java.util.function.Predicate;

/**
 * One toxic as configured on a proxy: its name, direction, toxicity and attributes. Immutable; an
 * update produces a new spec with the same name, type and direction. Thread-safe.
 *
 * @param name      unique across both directions of the proxy
 * @param direction the link direction it acts on
 * @param toxicity  probability in [0, 1] that it acts on a given link
 * @param toxic     the type and attributes
 */
public record ToxicSpec(String name, Direction direction, float toxicity, Toxic toxic) {

    /**
     * Builds a spec from a create request, checking in the order the Go server does: stream, type,
     * name clash, then attributes.
     *
     * @param nameTaken whether a toxic of that name already exists on the proxy
     * @throws ApiError 400 or 409 with the Go server's message
     */
    public static ToxicSpec create(ToxicRequest request, Predicate<String> nameTaken) {
        Direction direction = request.stream() == null ? Direction.DOWNSTREAM : Direction.parse(request.stream());
        ToxicType type = ToxicType.fromWireName(request.type());
        String name = request.name() == null || request.name().isEmpty()
                ? type.wireName() + "_" + direction.wireName()
                : request.name();
        if (nameTaken.test(name)) {
            throw ApiError.toxicAlreadyExists();
        }
        float toxicity = request.toxicity() == null ? 1.0f : checkedToxicity(request.toxicity());
        return new ToxicSpec(name, direction, toxicity, type.create(request.attributes()));
    }

    /**
     * This spec with the request's attributes merged over the current ones and its toxicity, if given.
     *
     * @throws ApiError 400 for an invalid value; this spec is unchanged
     */
    public ToxicSpec updatedBy(ToxicRequest request) {
        float nextToxicity = request.toxicity() == null ? toxicity : checkedToxicity(request.toxicity());
        return new ToxicSpec(name, direction, nextToxicity, toxic.type().update(toxic, request.attributes()));
    }

    public ToxicJson toJson() {
        return new ToxicJson(toxic.attributes(), name, toxic.type().wireName(), direction.wireName(), toxicity);
    }

    private static float checkedToxicity(float toxicity) {
        if (!(toxicity >= 0.0f && toxicity <= 1.0f)) {
            throw ApiError.badRequestBody("toxicity must be between 0 and 1, got " + toxicity);
        }
        return toxicity;
    }
}
