package io.herald.core.engine.memory;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineFactory;

/** {@code --engine memory}: the default. */
public final class MemoryEngineFactory implements EngineFactory {
    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Engine create(EngineContext context) {
        return new MemoryEngine(context);
    }
}
