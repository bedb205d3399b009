package dev.bulwark.resilience.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code resilience:} block of an application's configuration:
 * <pre>
 * resilience:
 *   dependencies:
 *     database: {retryDeadline: 3s, circuitReset: 60s}
 *     redis: {retryDeadline: 500ms, circuitFailureThreshold: 3}
 * </pre>
 * A dependency not listed runs with {@link DependencyPolicy}'s defaults; a listed name that no factory builds
 * stops the server at start (a typo would otherwise go unnoticed). Mutable while Jackson binds it; read-only
 * afterwards.
 */
public class ResilienceFactory {

    @Valid
    @NotNull
    private Map<String, DependencyPolicy> dependencies = new LinkedHashMap<>();

    /** The settings of the dependency called {@code name}: its entry, or the defaults. */
    public DependencyPolicy policy(String name) {
        DependencyPolicy policy = dependencies.get(name);
        return policy == null ? new DependencyPolicy() : policy;
    }

    @JsonProperty
    public Map<String, DependencyPolicy> getDependencies() {
        return dependencies;
    }

    @JsonProperty
    public void setDependencies(Map<String, DependencyPolicy> dependencies) {
        this.dependencies = dependencies;
    }
}
