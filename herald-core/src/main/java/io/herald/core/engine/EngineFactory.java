package io.herald.core.engine;

/**
 * Builds an engine by name; engines are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.herald.core.engine.EngineFactory}).
 */
public interface EngineFactory {

    /** The name used on the command line, e.g. {@code memory} or {@code redis}. */
    String name();

    Engine create(EngineContext context);
}
