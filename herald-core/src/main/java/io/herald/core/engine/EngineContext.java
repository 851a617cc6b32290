package io.herald.core.engine;

import io.herald.core.config.CoreConfig;
import java.time.Clock;
import java.util.Map;

/**
 * What an engine is built from.
 *
 * @param config  the node's configuration (limits, timings)
 * @param clock   the node's clock
 * @param nodeId  this node's id (unique per process)
 * @param options engine-specific options, e.g. {@code redis} = {@code redis://127.0.0.1:6379}
 */
public record EngineContext(CoreConfig config, Clock clock, String nodeId, Map<String, String> options) {
    public EngineContext {
        options = Map.copyOf(options);
    }
}
