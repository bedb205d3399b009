package dev.bulwark.resilience;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The dependencies of one application, by name, in the order they were built: what the admin task and
 * {@code /pool-stats} look up at request time, so they see every dependency however late it was built.
 * Thread-safe.
 */
public final class DependencyRegistry {

    private final Map<String, Dependency> byName = new ConcurrentHashMap<>();
    private final List<Dependency> inOrder = new CopyOnWriteArrayList<>();

    /**
     * Adds {@code dependency}.
     *
     * @throws IllegalArgumentException if one of the same name is already registered
     */
    public void register(Dependency dependency) {
        if (byName.putIfAbsent(dependency.name(), dependency) != null) {
            throw new IllegalArgumentException("two dependencies are called " + dependency.name());
        }
        inOrder.add(dependency);
    }

    /** The dependency called {@code name}, if one was registered. */
    public Optional<Dependency> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every registered dependency, in the order they were registered. */
    public List<Dependency> all() {
        return List.copyOf(inOrder);
    }

    /** Their names joined with {@code |}, for messages that list the allowed values. */
    public String names() {
        return String.join("|", inOrder.stream().map(Dependency::name).toList());
    }
}
