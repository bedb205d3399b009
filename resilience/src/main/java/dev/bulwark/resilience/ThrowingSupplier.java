package dev.bulwark.resilience;

/**
 * A call to a dependency that returns a value or throws: what {@link Resilient} runs (a DAO method, a unit of
 * JDBI work, one Redis command).
 *
 * @param <T> what the call returns
 */
@FunctionalInterface
public interface ThrowingSupplier<T> {

    /** Makes the call once. */
    T get() throws Exception;
}
