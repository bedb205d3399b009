package dev.bulwark.toxiproxy.toxics;

import dev.bulwark.toxiproxy.api.ApiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A proxy's configured toxics: one insertion-ordered list per direction, names unique across both.
 * Not thread-safe: the owning {@code Proxy} guards it.
 */
public final class ToxicChain {

    private final List<ToxicSpec> upstream = new ArrayList<>();
    private final List<ToxicSpec> downstream = new ArrayList<>();

    /** Upstream toxics first, then downstream, each in insertion order (the API's listing order). */
    public List<ToxicSpec> all() {
        List<ToxicSpec> all = new ArrayList<>(upstream);
        all.addAll(downstream);
        return all;
    }

    public Optional<ToxicSpec> find(String name) {
        return all().stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    /** @throws ApiError 404 "toxic not found" */
    public ToxicSpec get(String name) {
        return find(name).orElseThrow(ApiError::toxicNotFound);
    }

    public void add(ToxicSpec spec) {
        listOf(spec.direction()).add(spec);
    }

    /** Puts an updated spec where the old one with the same name was, keeping chain order. */
    public void replace(ToxicSpec spec) {
        List<ToxicSpec> list = listOf(spec.direction());
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(spec.name())) {
                list.set(i, spec);
            }
        }
    }

    /** @throws ApiError 404 "toxic not found" */
    public ToxicSpec remove(String name) {
        ToxicSpec spec = get(name);
        listOf(spec.direction()).remove(spec);
        return spec;
    }

    private List<ToxicSpec> listOf(Direction direction) {
        return direction == Direction.UPSTREAM ? upstream : downstream;
    }
}
